"""What every `zhijian` subcommand module shares: its `register` signature and the exit codes.

The program (`zhijian/cli.py`) lists the subcommand modules explicitly and calls each one's
`register(subparsers)`; a command's function returns one of the exit codes below. This module
sits in the core so that every package can import it without reaching upwards.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_OK = 0
EXIT_FAILED_CHECKS = 1  # the command ran, and what it checked failed (e.g. a rule example)
EXIT_INVALID_INPUT = 2  # a file, option or model the user gave cannot be used; the message says why
EXIT_INTERRUPTED = 130  # Ctrl-C

__all__ = ["EXIT_FAILED_CHECKS", "EXIT_INTERRUPTED", "EXIT_INVALID_INPUT", "EXIT_OK", "SubParsers"]
