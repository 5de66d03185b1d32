"""Command line: `rnn-tui` (the dashboard), `rnn-tui train` (headless), `rnn-tui replay`,
`rnn-tui sweep` (a grid of runs on Dask)."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .run.config import CELL_KINDS, DTYPES, OPTIMIZERS, TASK_NAMES, RunConfig

if TYPE_CHECKING:
    from .run.presets import Preset

DEFAULT_LOG_DIR = Path("runs")
READ_NOTICE_BYTES = 5_000_000  # replay says it is reading logs larger than this (~1 s)
# Writes that fail because the storage is full or failing: said in a line, not a traceback.
DEVICE_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


class Parser(argparse.ArgumentParser):
    """An error in one line, as every other error of rnn-tui (argparse's own printed its
    usage block above it, seven lines for `--lr abc`). `commands`: the subcommands'
    parsers, so that an option one of them does not know is said by it."""

    commands: dict[str, argparse.ArgumentParser] = {}

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (the options: {self.prog} --help)\n")


def path_named(hint: str) -> Callable[[str], Path]:
    """A path argument. An empty one (an unset variable in a script) is refused: as a
    Path it is ".", and `--log-dir ""` wrote the logs into the current folder unasked."""

    def parse(text: str) -> Path:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"an empty name; give {hint}")
        return Path(text)

    return parse


folder = path_named("a folder (default: ./runs)")


def add_experiment_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that pick and override a preset (shared by the dashboard and train)."""
    g = parser.add_argument_group("experiment (flags override the preset)")
    g.add_argument("--preset", metavar="NAME|FILE",
                   help="a shipped preset's name (default: adding-100) or a .toml file")
    g.add_argument("--cells", metavar="A,B", help=f"cells to compare, from {','.join(CELL_KINDS)}")
    g.add_argument("--task", help=f"one of {', '.join(TASK_NAMES)}")  # the preset checks it
    g.add_argument("--seq-len", type=int, metavar="N", help="the task's T")
    g.add_argument("--hidden", type=int, metavar="N", dest="hidden_size", help="hidden size")
    g.add_argument("--batch", type=int, metavar="N", dest="batch_size", help="batch size")
    g.add_argument("--lr", type=float, metavar="X", help="learning rate")
    g.add_argument("--clip", type=float, metavar="X", help="global-norm clip (0: none)")
    g.add_argument("--optimizer", choices=OPTIMIZERS)
    g.add_argument("--steps", type=int, metavar="N", help="steps per model (0: until stopped)")
    g.add_argument("--seed", type=int, metavar="N")
    g.add_argument("--dtype", choices=DTYPES)
    logs = g.add_mutually_exclusive_group()
    logs.add_argument("--log-dir", type=folder, metavar="DIR",
                      help=f"where run logs go (default: ./{DEFAULT_LOG_DIR})")
    logs.add_argument("--no-log", action="store_true", help="write no run logs")


OVERRIDES = ("task", "seq_len", "hidden_size", "batch_size", "lr", "clip", "optimizer",
             "steps", "seed", "dtype")


def preset_from_args(args: argparse.Namespace) -> Preset:
    """The preset named by --preset and every flag given over it."""
    from .run.presets import DEFAULT_PRESET, Preset

    flags: dict[str, Any] = {k: getattr(args, k) for k in OVERRIDES}
    if args.cells is not None:
        # Every name kept, empty ones too: "rnn,,lstm" (a name lost in a script) is refused,
        # not read as "rnn,lstm".
        flags["cells"] = [c.strip() for c in args.cells.split(",")]
    # `--preset ""` is a preset named "" (refused), not the default one.
    return Preset(DEFAULT_PRESET if args.preset is None else args.preset, flags)


def configs_from_args(args: argparse.Namespace) -> list[RunConfig]:
    """The preset named by --preset with every given flag applied (PresetError if bad)."""
    return preset_from_args(args).configs()


def log_dir_from_args(args: argparse.Namespace) -> Path | None:
    return None if args.no_log else (args.log_dir or DEFAULT_LOG_DIR)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="rnn-tui", description="Watch a simple RNN forget and an LSTM remember, live.")
    add_experiment_flags(parser)
    parser.add_argument("--lang", choices=["en", "ja"], default="en",
                        help="language of the help screen")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # SUPPRESS: a flag left out after `train` keeps what was given before it
    # (`rnn-tui --lr 0.1 train`), instead of the subcommand's default overwriting it.
    train = sub.add_parser("train", help="train headless: live lines, then a summary",
                           argument_default=argparse.SUPPRESS,
                           description="Train the preset's cells side by side without a "
                                       "screen; print a summary at the end.")
    add_experiment_flags(train)
    train.add_argument("--json", action="store_true", help="print the summary as JSON")
    replay = sub.add_parser("replay", help="open the dashboard on recorded run logs")
    replay.add_argument("logs", nargs="+", type=path_named("a run log"), metavar="LOG")
    add_lang_flag(replay)
    sub.add_parser("presets", help="list the shipped presets")
    add_sweep_parser(sub)
    parser.commands = sub.choices
    return parser


def sweep_file(text: str) -> str:
    """A sweep file, or a shipped sweep's name: not an empty one (it was read as ".")."""
    path_named("a sweep file or a shipped sweep's name")(text)
    return text


def add_sweep_parser(sub: argparse._SubParsersAction) -> None:
    sweep = sub.add_parser("sweep", help="run a grid of runs on Dask, resumable; print the map",
                           description="Run every run of a sweep file (a preset whose keys "
                                       "may be lists) on Dask; rerun to resume.")
    sweep.add_argument("file", metavar="FILE", type=sweep_file,
                       help="a sweep .toml file, or a shipped sweep's name (map, horizon, ...)")
    sweep.add_argument("--out", type=path_named("a folder (default: sweeps/<FILE's stem>)"),
                       metavar="DIR",
                       help="results and logs (default: sweeps/<FILE's stem>)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler, tcp://HOST:PORT (default: a local "
                            "cluster, one worker process per core)")
    sweep.add_argument("--workers", type=int, metavar="N",
                       help="worker processes of the local cluster (default: one per core; "
                            "not with --scheduler)")
    sweep.add_argument("--json", action="store_true", help="print the runs as JSON")
    sweep.add_argument("--retry-failed", action="store_true",
                       help="run again the runs that failed (a rerun otherwise counts them "
                            "as done)")
    view = sub.add_parser("sweep-view", help="the map of a sweep's folder, following it",
                          description="Open the map of a sweep (rows: cells, columns: T) "
                                      "and follow it while it runs.")
    view.add_argument("out", type=path_named("a sweep's --out folder"), metavar="DIR",
                      help="a sweep's --out folder")
    add_lang_flag(view)


def add_lang_flag(command: argparse.ArgumentParser) -> None:
    """`--lang` after a command too; left out there, the one before it holds
    (`rnn-tui --lang ja replay A.jsonl`)."""
    command.add_argument("--lang", choices=["en", "ja"], default=argparse.SUPPRESS,
                         help="language of the help screen")


def fail(message: str) -> int:
    print(f"rnn-tui: error: {message}", file=sys.stderr)
    return 2


def no_terminal(instead: str) -> str | None:
    """Why the dashboard cannot be shown here (its input or output is not a terminal), or
    None. Without one, Textual read an endless end of input at full speed and never
    exited: `nohup rnn-tui &` trained on, a core spinning, until killed. (A driver of
    its own, as textual-serve sets in $TEXTUAL_DRIVER, brings its own terminal.)"""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    streams = (("input", sys.stdin), ("output", sys.stdout))
    missing = [name for name, stream in streams if stream is None or not stream.isatty()]
    if not missing:
        return None
    what = "are not terminals" if len(missing) > 1 else "is not a terminal"
    return (f"the dashboard needs a terminal, but its {' and '.join(missing)} {what} "
            f"(a redirection, a pipe or nohup?); {instead}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # (`sweep F --jsn` said "rnn-tui: error: ...", pointing at rnn-tui --help)
        command = parser.commands.get(args.command or "", parser)
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    from .run.memory import does_not_fit
    from .run.presets import PresetError
    from .run.runlog import RunLogError, unusable_log_dir

    try:
        if args.command == "presets":
            return list_presets_command()
        if args.command == "replay":
            return replay_command(args)
        if args.command == "sweep-view":
            return sweep_view_command(args)
        if args.command == "sweep":
            from .run.sweep import sweep

            return sweep(args.file, args.out, args.scheduler, args.json, args.workers,
                         retry_failed=args.retry_failed)
        preset = preset_from_args(args)
        configs = preset.configs()
        too_big = does_not_fit(configs)
        if too_big:
            return fail(f"too big for this machine: {too_big} "
                        "(lower --seq-len, --batch or --hidden)")
        log_dir = log_dir_from_args(args)
        if log_dir is not None and (why := unusable_log_dir(log_dir)):
            return fail(f"run logs cannot be written to {log_dir} ({why}): give --log-dir a "
                        "folder that can hold them, or --no-log")
        if args.command == "train":
            from .run.headless import train

            return train(configs, log_dir, as_json=getattr(args, "json", False))
        if why := no_terminal("`rnn-tui train` runs the same experiment without a screen"):
            return fail(why)
        from .ui.launch import run_dashboard

        return run_dashboard(configs, log_dir, preset=preset, **_lang(args))
    except (PresetError, RunLogError) as err:
        return fail(str(err))
    except KeyboardInterrupt:
        return 130


def _lang(args: argparse.Namespace) -> dict[str, str]:
    return {"lang": args.lang} if getattr(args, "lang", "en") != "en" else {}


def replay_command(args: argparse.Namespace) -> int:
    """Open the logs that read; one line for each that does not (then exit status 2)."""
    from .run.runlog import read_run_logs

    size = sum(p.stat().st_size for p in args.logs if p.is_file())
    if size > READ_NOTICE_BYTES:  # (a blank terminal for seconds looked like a hang)
        print(f"rnn-tui replay: reading {len(args.logs)} logs, {size / 1e6:.0f} MB ...",
              file=sys.stderr, flush=True)
    logs, errors = read_run_logs(args.logs)
    for error in errors:
        fail(error)
    if not logs:
        return 2
    if why := no_terminal("the logs are JSON lines, one event a line (docs/runs.md)"):
        return fail(why)
    from .ui.launch import run_replay

    status = run_replay(list(logs), runs=list(logs.values()), **_lang(args))
    return 2 if errors else status


def sweep_view_command(args: argparse.Namespace) -> int:
    from .run.sweep_results import GRID_FILE, read_grid

    if not args.out.exists():
        return fail(f"{args.out} does not exist: give the --out folder of `rnn-tui sweep`")
    if args.out.is_file():  # (a sweep file, say: the folder is the one it ran into)
        run = f"rnn-tui sweep {args.out} --out DIR" if args.out.suffix == ".toml" else (
            "rnn-tui sweep")
        return fail(f"{args.out} is a file, not a sweep's folder: give the --out folder of "
                    f"`{run}`")
    if not (args.out / GRID_FILE).is_file():
        return fail(f"{args.out} holds no sweep ({GRID_FILE} is missing): give the --out "
                    "folder of `rnn-tui sweep`")
    read_grid(args.out)  # one that cannot be read is bad input here, not a crash of the map
    if why := no_terminal(f"`rnn-tui sweep` on its sweep file with `--out {args.out}` "
                          "prints the map"):
        return fail(why)
    from .ui.launch import run_sweep_view

    return run_sweep_view(args.out, **_lang(args))


def list_presets_command() -> int:
    from .run.presets import list_presets, read_preset, resolve_preset

    for name in list_presets():
        data = read_preset(resolve_preset(name))
        cells = " vs ".join(data.get("cells", []))
        print(f"{name:16s} {data.get('task', '?')} T={data.get('seq_len', '?')}: {cells}")
    return 0


def entry() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # closed by the caller (`>&-`): written to nowhere
            setattr(sys, name, open(os.devnull, "w"))
    try:
        status = main()
        sys.stdout.flush()  # output still buffered meets a closed pipe here
    except KeyboardInterrupt:
        # Ctrl-C before a command's own handling (parsing, the first imports): 130, as
        # every command gives it, not a traceback.
        status = 128 + signal.SIGINT
    except BrokenPipeError:
        # Our reader left (`rnn-tui presets | head -1`): nothing is wrong, no traceback.
        status = 128 + signal.SIGPIPE  # 141, as a shell reports a program its pipe ended
        _point_stdout_nowhere()
    except OSError as err:
        if err.errno not in DEVICE_FULL:
            raise
        # `--json > summary.json` on a full disk: say so, not a traceback (the run logs
        # are written, and closed, by the workers themselves).
        print(f"rnn-tui: error: cannot write {err.filename or 'the output'}: "
              f"{err.strerror}", file=sys.stderr)
        status = 1
        _point_stdout_nowhere()
    sys.exit(status)


def _point_stdout_nowhere() -> None:
    """stdout cannot be written: the interpreter's last flush at exit stays quiet."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
