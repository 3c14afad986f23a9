"""Progress of long runs: a bar on a terminal (tqdm), a plain line every few seconds otherwise."""

import sys
import time

from tqdm import tqdm


class Progress:
    """Call with the number of rows just done; `with` it around the run."""

    every = 5.0  # seconds between plain lines

    def __init__(self, total, what, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.what, self.done = total, what, 0
        self.started = self.shown = time.monotonic()
        self.bar = tqdm(total=total, unit=" rows", desc=what, file=self.stream) if self.stream.isatty() else None

    def __call__(self, count):
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
            return
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now):
        rate = self.done / max(now - self.started, 1e-9)
        left = self.total - self.done
        left = f", about {left / rate:,.0f} s left" if rate and left > 0 else ""
        return f"{self.what}: {self.done:,} of {self.total:,} rows, {rate:,.0f} rows/s{left}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        elif self.done:
            self.stream.write(self.line(time.monotonic()) + "\n")
