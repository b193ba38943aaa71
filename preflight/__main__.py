import sys

from preflight.main import main

sys.exit(main())
