from netweave.cli import main

main()
