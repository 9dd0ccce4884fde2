from rehabcore.cli import main

raise SystemExit(main())
