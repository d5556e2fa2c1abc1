"""Peak memory of a whole process tree, with wall and CPU time: python benchmarks/treemem.py CMD [ARG...]

`/usr/bin/time -v` reports the largest single process's peak; a run with worker processes
needs the tree's. Every 0.1 s this sums, over the command and all its descendants, the
resident set (RSS: pages shared between forked workers are counted once per process) and
the proportional set (PSS: shared pages split between the processes that share them, so the
sum is what the tree really holds). CPU time is the tree's user + system time from wait4.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, out, todo = children_of(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB, 0 for a process that has gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in rollup[1:] if line.endswith("kB")}
    return values.get("Rss", 0), values.get("Pss", 0)


def main() -> None:
    started = time.perf_counter()
    proc = subprocess.Popen(sys.argv[1:])
    peak_rss = peak_pss = peak_one = 0
    processes = 0
    while True:
        done, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        pids = descendants(proc.pid)
        mems = [memory_kb(p) for p in pids]
        processes = max(processes, sum(1 for r, _ in mems if r))
        peak_rss = max(peak_rss, sum(r for r, _ in mems))
        peak_pss = max(peak_pss, sum(p for _, p in mems))
        peak_one = max(peak_one, max((r for r, _ in mems), default=0))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    print(f"exit {code}  wall {wall:.1f} s  cpu {usage.ru_utime + usage.ru_stime:.1f} s "
          f"(user {usage.ru_utime:.1f}, sys {usage.ru_stime:.1f})  peak tree PSS {peak_pss / 1024:.0f} MB  "
          f"peak tree RSS {peak_rss / 1024:.0f} MB  largest process {peak_one / 1024:.0f} MB "
          f"(maxrss {usage.ru_maxrss / 1024:.0f} MB)  processes {processes}  load {os.getloadavg()[0]:.2f}",
          file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
