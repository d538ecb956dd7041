"""`python -m loadtest.service`: run the reference service as its own module (see `loadtest.service.cli`)."""

import sys

from loadtest.service.cli import main

sys.exit(main())
