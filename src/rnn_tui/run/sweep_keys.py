"""The key of the sweep's live view: `m` opens the map of the sweep's folder in the
foreground of this terminal, as `rnn-tui sweep-view OUT` in a child process, while the
sweep goes on collecting results (so the map fills in as the user watches it). Quitting
the map brings the progress bar back.

The child process is the boundary: the sweep (run/) never imports the app (ui/).

Two threads share the terminal, and each holds it in turn:

- a listener thread reads keys from stdin in cbreak mode (no echo, no line editing; ISIG
  stays on, so Ctrl-C still interrupts the sweep as it always did), with select() and a
  timeout so that it can be stopped; when it reads `m` it stops listening and asks;
- the sweep's main thread, on its progress tick, sees the request: it pauses the bar,
  gives the terminal back its own settings and starts the viewer; on a later tick, the
  viewer gone, it takes cbreak again, resumes the bar and lets the listener read again.

The terminal's settings are always restored on the way out, and the viewer never
outlives the sweep: a sweep that finishes waits for the user to close it (it is their
screen); any other way out (Ctrl-C, SIGTERM, an exception) terminates it.
"""

from __future__ import annotations

import io
import logging
import os
import select
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from typing import TextIO, cast

KEY = b"m"
LISTEN_TIMEOUT = 0.1  # seconds a select() waits before the listener checks it should stop
TERMINATE_TIMEOUT = 10.0  # seconds a terminated viewer gets before it is killed
# A viewer killed before it could tidy up leaves the terminal on its alternate screen
# with the cursor hidden: back to the main screen, cursor shown.
LEAVE_ALT_SCREEN = "\x1b[?1049l\x1b[?25h"


def can_listen(stdin: TextIO, stdout: TextIO) -> bool:
    """Both ends are a terminal and this process is in its foreground (a background job
    that touched the terminal's settings would be stopped by SIGTTOU)."""
    try:
        return (stdin.isatty() and stdout.isatty()
                and os.tcgetpgrp(stdin.fileno()) == os.getpgrp())
    except (OSError, ValueError, AttributeError):
        return False


class HeldOutput:
    """What this process writes while the map has the terminal (a print, a warning, a log
    line of Dask's client) is held, and written after the map has closed: never over its
    screen."""

    def __init__(self) -> None:
        self.saved: tuple[TextIO, TextIO] | None = None
        self.out, self.err = io.StringIO(), io.StringIO()
        self.handlers: list[tuple[logging.StreamHandler[TextIO], TextIO]] = []

    def hold(self) -> None:
        self.saved = (sys.stdout, sys.stderr)
        self.out, self.err = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = self.out, self.err
        held = {id(stream): buffer for streams, buffer in (
            ((sys.__stdout__, self.saved[0]), self.out),
            ((sys.__stderr__, self.saved[1]), self.err)) for stream in streams}
        for handler in _stream_handlers():
            buffer = held.get(id(handler.stream))
            if buffer is not None:  # Dask's handlers hold the stderr of their import time
                self.handlers.append((handler, cast(TextIO, handler.setStream(buffer))))

    def release(self) -> None:
        if self.saved is None:
            return
        sys.stdout, sys.stderr = self.saved
        self.saved = None
        for handler, stream in self.handlers:
            handler.setStream(stream)
        self.handlers = []
        for stream, buffer in ((sys.stdout, self.out), (sys.stderr, self.err)):
            if buffer.getvalue():
                stream.write(buffer.getvalue())
                stream.flush()


def _stream_handlers() -> list[logging.StreamHandler[TextIO]]:
    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict
                                       .values() if isinstance(logger, logging.Logger))]
    return [handler for logger in loggers for handler in logger.handlers
            if type(handler) is logging.StreamHandler]


class MapKey:
    """`m` opens the map of the sweep in `folder`; `pause` and `resume` hide and show the
    live view around it (called from the thread that calls `poll`)."""

    def __init__(self, folder: str, pause: Callable[[], None], resume: Callable[[], None],
                 stdin: TextIO | None = None) -> None:
        self.folder = folder
        self.pause, self.resume = pause, resume
        self.fd = (stdin or sys.stdin).fileno()
        self.saved = termios.tcgetattr(self.fd)  # the terminal as the user had it
        self.wanted = threading.Event()     # `m` was read: open the viewer
        self.listening = threading.Event()  # the listener may read stdin
        self.stopped = threading.Event()
        self.viewer: subprocess.Popen[bytes] | None = None
        self.output = HeldOutput()
        self.thread = threading.Thread(target=self._listen, name="sweep-keys", daemon=True)

    def start(self) -> None:
        self._cbreak()
        self.listening.set()
        self.thread.start()

    def poll(self) -> None:
        """On the sweep's tick: open the viewer when asked; take the terminal back when
        the viewer has exited."""
        if self.viewer is None and self.wanted.is_set():
            self.wanted.clear()
            self.pause()
            self.output.hold()
            self._restore()  # the viewer finds the terminal as the user had it
            self.viewer = subprocess.Popen([sys.executable, "-m", "rnn_tui", "sweep-view",
                                            self.folder])
        elif self.viewer is not None and self.viewer.poll() is not None:
            self.viewer = None
            self._cbreak()
            self.output.release()
            self.resume()
            self.listening.set()

    def close(self, finished: bool) -> None:
        """Stop listening and give the terminal back. A sweep that `finished` waits for
        an open viewer to be closed; any other way out terminates it."""
        self.stopped.set()
        self.listening.set()  # a listener waiting for its turn sees `stopped` at once
        try:
            if finished and self.viewer is not None:
                self.viewer.wait()
        finally:
            was_viewing = self.viewer is not None
            self._end_viewer()
            self.thread.join(timeout=5 * LISTEN_TIMEOUT + 1)
            self._restore()
            self.output.release()
            if was_viewing:
                self.resume()  # the bar's last frame, above the map printed next

    def _listen(self) -> None:
        try:
            self._read_keys()
        except OSError:  # the terminal is gone (closed window): no more keys will come
            return

    def _read_keys(self) -> None:
        while not self.stopped.is_set():
            if not self.listening.wait(LISTEN_TIMEOUT) or self.stopped.is_set():
                continue  # the viewer has the terminal: not a byte read from it
            if os.tcgetpgrp(self.fd) != os.getpgrp():  # put in the background (ctrl-z, bg)
                self.stopped.wait(LISTEN_TIMEOUT)
                continue
            ready, _, _ = select.select([self.fd], [], [], LISTEN_TIMEOUT)
            if not ready or self.stopped.is_set():
                continue
            data = os.read(self.fd, 64)
            if not data:  # end of input: no more keys will come
                return
            if KEY in data.lower():
                self.listening.clear()  # until the viewer has come and gone
                self.wanted.set()

    def _cbreak(self) -> None:
        mode = [*self.saved[:6], list(self.saved[6])]  # the user's, keys one at a time:
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflag; ISIG stays: Ctrl-C works
        mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
        self._set(mode, termios.TCSANOW)

    def _restore(self) -> None:
        self._set(self.saved, termios.TCSADRAIN)

    def _set(self, mode: list, when: int) -> None:
        try:
            termios.tcsetattr(self.fd, when, mode)
        except termios.error:  # the terminal is gone (closed window): the sweep goes on
            pass

    def _end_viewer(self) -> None:
        viewer, self.viewer = self.viewer, None
        if viewer is None:
            return
        if viewer.poll() is None:
            viewer.terminate()
            try:
                viewer.wait(TERMINATE_TIMEOUT)
            except subprocess.TimeoutExpired:
                viewer.kill()
                viewer.wait()
        if viewer.returncode < 0 and sys.__stdout__:  # ended by a signal: its screen stays
            sys.__stdout__.write(LEAVE_ALT_SCREEN)
            sys.__stdout__.flush()
