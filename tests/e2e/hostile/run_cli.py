"""Run several ``simvision`` command lines in one process (one start-up instead of one per command): argv lists as
JSON on stdin; prints one JSON line per command: its exit status, stderr and seconds taken."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
import traceback

from simvision.cli import main

for argv in json.load(sys.stdin):
    sys.argv = ["simvision", *argv]
    err = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
            status = 0
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 1
        except BaseException:  # a traceback: what the tests look for, so record it and go on
            err.write(traceback.format_exc())
            status = "traceback"
    seconds = time.monotonic() - start
    print(
        json.dumps({"argv": argv, "status": status, "stderr": err.getvalue(), "seconds": seconds}), flush=True
    )
