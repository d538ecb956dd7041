"""fedsim's Locust load test: agencies, residents, ALPR cameras and portal visitors against the reference service.

    fedsim serve --bootstrap scenarios/small.yaml --tokens out/tokens.json   # seed the database, write tokens
    fedsim serve --port 8000 &
    locust -f loadtest/locustfile.py --host http://127.0.0.1:8000 --tokens out/tokens.json

Custom options (also env vars, so remote ``--worker`` processes can get them):
  --tokens FILE     bearer tokens from `fedsim serve --bootstrap` (env FEDSIM_TOKENS)
  --traffic FILE    a traffic plan (JSON, `loadtest.plan`) written by `fedsim loadtest`; default: a
                    closed-loop mix with --think-time seconds between tasks (env FEDSIM_TRAFFIC)
  --think-time S    mean think time of the default mix (default 1; 0 = back to back)
  --cpu-dir DIR     each Locust process writes there the CPU seconds it used between test start and stop, and
                    how often a paced user dropped a backlog (``locust_cpu_<pid>.json``); the master (or the
                    only process) appends the users per class each time spawning completes (``locust_users.jsonl``)
Env FEDSIM_SHAPE selects a load shape: a shape file or a shipped name (ramp, step, spike, soak, see
loadtest/shapes/), or ``scenario`` for the compressed scenario day of a scenario plan.

This file imports nothing from `loadtest.service`: the service runs in its own process.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from locust import events
from locust.runners import MasterRunner, WorkerRunner

from loadtest import shape_classes
from loadtest.plan import USERS_LOG, closed_plan, read_plan
from loadtest.users import AgencyUser, CameraUser, PortalVisitor, ResidentUser, apply_plan, run_state

__all__ = ["AgencyUser", "CameraUser", "PortalVisitor", "ResidentUser"]

_shape = shape_classes.shape_from_env()
if _shape is not None:
    FedsimShape = _shape


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument(
        "--tokens",
        default=os.environ.get("FEDSIM_TOKENS", ""),
        help="bearer tokens file written by `fedsim serve --bootstrap` (env FEDSIM_TOKENS)",
    )
    parser.add_argument(
        "--traffic",
        default=os.environ.get("FEDSIM_TRAFFIC", ""),
        help="traffic plan JSON written by `fedsim loadtest` (env FEDSIM_TRAFFIC)",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=float(os.environ.get("FEDSIM_THINK_TIME", "1.0")),
        help="mean seconds between tasks of the default closed-loop mix (0 = back to back)",
    )
    parser.add_argument(
        "--cpu-dir",
        default=os.environ.get("FEDSIM_CPU_DIR", ""),
        help="folder where each Locust process writes the CPU seconds it used during the test",
    )


def _install(environment: Any) -> None:
    opts = environment.parsed_options
    if opts is None:
        return
    plan = read_plan(opts.traffic) if opts.traffic else closed_plan(opts.think_time)
    worker = getattr(environment.runner, "worker_index", 0) if isinstance(environment.runner, WorkerRunner) else 0
    apply_plan(environment, plan, opts.tokens, worker)


def _on_hour(environment: Any, msg: Any, **_: Any) -> None:
    run_state(environment).hour = int(msg.data)


@events.init.add_listener
def _init(environment: Any, **_: Any) -> None:
    _install(environment)
    if environment.runner is not None and not isinstance(environment.runner, MasterRunner):
        environment.runner.register_message(shape_classes.HOUR_MESSAGE, _on_hour)
    # Bound to this environment: Locust's spawning_complete event carries only the user count.
    environment.events.spawning_complete.add_listener(lambda user_count, **__: _spawned(environment, user_count))


@events.test_start.add_listener
def _start(environment: Any, **_: Any) -> None:
    _install(environment)  # workers get the master's options with the first spawn message
    run_state(environment).cpu_at_start = time.process_time()


@events.test_stop.add_listener
def _stop(environment: Any, **_: Any) -> None:
    folder = getattr(environment.parsed_options, "cpu_dir", "") if environment.parsed_options else ""
    state = getattr(environment, "fedsim", None)
    if folder and state is not None and state.cpu_at_start is not None:
        role = type(environment.runner).__name__ if environment.runner is not None else "none"
        used = time.process_time() - state.cpu_at_start
        report = {"role": role, "cpu_s": used, "dropped_backlogs": sum(p.dropped for p in state.pacers)}
        Path(folder, f"locust_cpu_{os.getpid()}.json").write_text(json.dumps(report))


def _spawned(environment: Any, user_count: int) -> None:
    runner = environment.runner
    if environment.parsed_options is None or isinstance(runner, WorkerRunner):
        return
    folder = getattr(environment.parsed_options, "cpu_dir", "")
    if folder and runner is not None:
        line = {"t": time.time(), "users": user_count, "classes": dict(runner.user_classes_count)}
        with Path(folder, USERS_LOG).open("a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
