import sys

from hookscope.cli import main

sys.exit(main())
