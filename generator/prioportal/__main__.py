import sys

from prioportal.cli import main

sys.exit(main())
