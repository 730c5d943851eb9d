"""Meeting pages, split by part: ``calendar`` (meetings, invitations, registration, feeds),
``agenda`` (agenda editor, offers, builder), ``day`` (check-in, minutes, actions)."""
