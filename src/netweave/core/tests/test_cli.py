import subprocess
import sys
from pathlib import Path


def test_netweave_wraps_django_commands(tmp_path):
    """`netweave` runs Django's own commands with Netweave's settings."""
    netweave = Path(sys.executable).with_name("netweave")
    result = subprocess.run(  # noqa: S603 — our own console script
        [str(netweave), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"NETWEAVE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_hyphenated_command_names_map_to_django_names(monkeypatch):
    """`netweave seed-scale` runs the `seed_scale` management command."""
    seen = {}

    def fake_execute(argv):
        seen["argv"] = argv

    monkeypatch.setattr("django.core.management.execute_from_command_line", fake_execute)
    from netweave.cli import main

    main(["netweave", "send-reminders", "--dry-run"])
    assert seen["argv"] == ["netweave", "send_reminders", "--dry-run"]
