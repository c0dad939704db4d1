"""`python -m zhijian` is the `zhijian` command."""

import sys

from zhijian.cli import main

sys.exit(main())
