#!/usr/bin/env python3
"""Runs one player under its own Xvfb and measures it.

    python3 measure.py --label NAME --events FILE --seconds N --out FILE.json \
        [--log FILE] [--env K=V ...] [--startup-timeout S] [--samples FILE.jsonl] \
        [--progress S] -- COMMAND ARGS...

Starts Xvfb at 1920x1080 (a free display, chosen by Xvfb itself with -displayfd),
then COMMAND with DISPLAY set, and from that moment samples once a second the
memory and CPU of COMMAND's whole process tree (COMMAND and all its descendants;
not Xvfb, whose CPU is recorded on its own):

  - memory: the sum of Pss of /proc/<pid>/smaps_rollup (proportional set size:
    shared pages divided among the processes sharing them, so the sum over a tree
    counts each page once);
  - CPU: the growth of utime+stime of /proc/<pid>/stat over the tree since the
    previous sample, as a percentage of one core; also the whole machine's busy
    time from /proc/stat, so that other load during a run can be seen.

It watches the event log FILE for the first `item_start` event (the first frame
of the first item) and keeps running until --seconds after it, then stops COMMAND
with SIGTERM, its remaining descendants and Xvfb after it (SIGKILL only for what
outlives a grace period). Everything is stopped on error and on SIGINT/SIGTERM.

The result (spawn time, first-frame event, samples) is written to --out as JSON.
With --samples, each sample is instead appended to FILE.jsonl as one JSON line as
soon as it is taken, and not kept in memory: a run of hours then costs this
process nothing per sample, and the samples taken so far survive an interrupted
run. With --progress S, one line every S seconds after the first frame says how
far the run is (time, memory, CPU, items started), on stderr.

Every sample has `t` (seconds since the spawn, monotonic) and `at` (wall clock,
Unix seconds, the clock of the events' `at`). The result also lists, with `t` and
`at`, the processes that joined or left COMMAND's tree after the first sample
(`process_changes`, at most MAX_PROCESS_CHANGES; `process_changes_left_off`
counts the rest): a helper process that died and was started again shows there.
"""

import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The virtual screen: $BENCH_SCREEN (WIDTHxHEIGHT) when set, else 1920x1080.
SCREEN = os.environ.get("BENCH_SCREEN", "1920x1080") + "x24"
STOP_GRACE_S = 10.0
MAX_PROCESS_CHANGES = 500  # a helper restarting in a loop for hours must not fill the memory


class Stopped(Exception):
    pass


def on_signal(signum, _frame):
    # A second signal (Ctrl-C also reaches the caller, which passes it on) must not
    # interrupt the handling of the first.
    for other in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(f"signal {signum}")


def parse_at(text: str) -> float:
    """RFC 3339 (any number of fraction digits, Z or an offset) to Unix seconds."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    if not m:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    whole = datetime.fromisoformat(m.group(1) + zone).timestamp()
    return whole + (float("0." + m.group(2)) if m.group(2) else 0.0)


def read_events(path: Path) -> list[dict]:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    events = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a line being written
    return events


def proc_table() -> dict[int, tuple[int, int, int, str]]:
    """pid -> (ppid, utime+stime ticks, start time ticks, name) for every process."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[0] is field 3 (state): ppid is 4, utime 14, stime 15, starttime 22.
        table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19]), name)
    return table


def tree(root: int, table: dict) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root] if root in table else []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def pss_kb(pid: int) -> tuple[int, int | None]:
    """Pss, and Pss_File (the part in pages of mapped files; None on kernels without
    it): a file's pages are shared with every process that maps the same file,
    including ones outside the tree, so that part moves when other programs start
    or stop. A process gone meanwhile counts 0."""
    pss, pss_file = 0, None
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Pss_File:"):
                    pss_file = int(line.split()[1])
    except OSError:
        return 0, 0
    return pss, pss_file


class CpuMeter:
    """CPU of a changing set of processes, by (pid, start time) so a reused pid
    is a new process; a process first seen counts all its time (it started after
    the previous sample, or at spawn for the first)."""

    def __init__(self):
        self.seen: dict[tuple[int, int], int] = {}
        self.at = time.monotonic()

    def sample(self, pids: list[int], table: dict) -> float:
        now = time.monotonic()
        ticks = 0
        seen = {}
        for pid in pids:
            _ppid, total, start, _name = table[pid]
            key = (pid, start)
            ticks += total - self.seen.get(key, 0)
            seen[key] = total
        elapsed = max(now - self.at, 1e-3)
        self.seen, self.at = seen, now
        return 100.0 * ticks / CLOCK_TICKS / elapsed


class SystemCpu:
    """Busy time of the whole machine (every core), from /proc/stat."""

    def __init__(self):
        self.busy, self.at = self.read(), time.monotonic()

    @staticmethod
    def read() -> int:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields[:8]) - idle  # guest time is already in user

    def sample(self) -> float:
        busy, now = self.read(), time.monotonic()
        pct = 100.0 * (busy - self.busy) / CLOCK_TICKS / max(now - self.at, 1e-3)
        self.busy, self.at = busy, now
        return pct


def clock(seconds: float) -> str:
    """H:MM:SS."""
    s = max(0, int(round(seconds)))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def alive(pid: int, start: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19]) == start and fields[0] != "Z"


def stop_processes(procs: list[tuple[int, int]], grace: float) -> list[str]:
    """SIGTERM, then SIGKILL after `grace` seconds; only the given (pid, start time)
    pairs, so a pid reused by another process is never touched."""
    left = [(p, s) for p, s in procs if alive(p, s)]
    for pid, _ in left:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [(p, s) for p, s in left if alive(p, s)]
    killed = []
    for pid, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(str(pid))
        except ProcessLookupError:
            pass
    return killed


def start_xvfb(log) -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + 20
    try:
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or xvfb.poll() is not None:
                raise RuntimeError("Xvfb did not start (see the log)")
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    raise RuntimeError("Xvfb did not report its display")
                number += chunk
    finally:
        os.close(read_fd)
    return xvfb, ":" + number.decode().strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", required=True)
    ap.add_argument("--events", required=True, type=Path)
    ap.add_argument("--seconds", required=True, type=float)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--log", type=Path)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--clock-offset", type=float, default=0.0,
                    help="seconds the app's device clock runs ahead of the wall clock (its --clock-start)")
    ap.add_argument("--startup-timeout", type=float, default=90.0)
    ap.add_argument("--samples", type=Path, help="append the samples to this JSON-lines file instead of keeping them")
    ap.add_argument("--progress", type=float, default=0.0, help="a progress line on stderr every this many seconds")
    ap.add_argument("command", nargs="+")
    args = ap.parse_args()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    env = dict(os.environ)
    env.update(kv.split("=", 1) for kv in args.env)
    result = {"label": args.label, "command": args.command, "error": None, "samples": []}
    # Line-buffered: every sample is on disk once taken (and can be followed with tail -f).
    samples_out = open(args.samples, "w", buffering=1) if args.samples else None
    if args.samples:
        result["samples_file"] = str(args.samples)
    sample_count = 0
    xvfb = proc = None
    known: dict[tuple[int, int], str] = {}  # every process seen in the tree
    in_tree: set[tuple[int, int]] | None = None  # the tree at the previous sample
    result["process_changes"] = []
    result["process_changes_left_off"] = 0
    progress = {"next": None, "cpu": 0.0, "n": 0}
    try:
        xvfb, display = start_xvfb(log)
        env["DISPLAY"] = display
        result["display"] = display
        spawn_at = time.time()
        spawn_mono = time.monotonic()
        proc = subprocess.Popen(
            args.command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
        result["spawn_at"] = spawn_at
        result["loadavg_at_spawn"] = Path("/proc/loadavg").read_text().split()[:3]
        cpu, xcpu, system = CpuMeter(), CpuMeter(), SystemCpu()
        xcpu.sample([xvfb.pid], {xvfb.pid: proc_table()[xvfb.pid]})
        first = None
        end_at = None
        next_sample = spawn_mono + 1.0
        while True:
            now_mono = time.monotonic()
            if proc.poll() is not None:
                raise RuntimeError(f"{args.command[0]} exited with status {proc.returncode} (see the log)")
            if first is None:
                starts = [e for e in read_events(args.events) if e.get("kind") == "item_start"]
                if starts:
                    first = starts[0]
                    result["first_item_start"] = first
                    # A device clock run from --clock-start stamps events that far off.
                    result["first_frame_at"] = parse_at(first["at"]) - args.clock_offset
                    end_at = result["first_frame_at"] + args.seconds
                    if args.progress > 0:
                        progress["next"] = result["first_frame_at"] + args.progress
                elif now_mono - spawn_mono > args.startup_timeout:
                    raise RuntimeError(f"no item_start in {args.events} within {args.startup_timeout:.0f} s")
            if now_mono >= next_sample:
                table = proc_table()
                pids = tree(proc.pid, table)
                sampled_at = time.time()
                for pid in pids:
                    known.setdefault((pid, table[pid][2]), table[pid][3])
                now_tree = {(pid, table[pid][2]) for pid in pids}
                if in_tree is not None:
                    changes = [(key, "started") for key in sorted(now_tree - in_tree)]
                    changes += [(key, "left the tree" if alive(*key) else "exited") for key in sorted(in_tree - now_tree)]
                    for key, how in changes:
                        if len(result["process_changes"]) < MAX_PROCESS_CHANGES:
                            result["process_changes"].append(
                                {"t": round(now_mono - spawn_mono, 3), "at": round(sampled_at, 3), "pid": key[0], "name": known[key], "change": how}
                            )
                        else:
                            result["process_changes_left_off"] += 1
                in_tree = now_tree
                by_name: dict[str, float] = {}
                total_kb = 0
                file_kb: int | None = 0
                for pid in pids:
                    kb, fkb = pss_kb(pid)
                    total_kb += kb
                    file_kb = None if file_kb is None or fkb is None else file_kb + fkb
                    by_name[table[pid][3]] = by_name.get(table[pid][3], 0) + kb / 1024
                xvfb_row = table.get(xvfb.pid)
                sample = {
                    "t": round(now_mono - spawn_mono, 3),
                    "at": round(sampled_at, 3),
                    "pss_mb": round(total_kb / 1024, 1),
                    # Without the file pages: heap, shared memory (only the tree and Xvfb map it).
                    "pss_no_file_mb": round((total_kb - file_kb) / 1024, 1) if file_kb is not None else None,
                    "cpu_pct": round(cpu.sample(pids, table), 1),
                    "xvfb_cpu_pct": round(xcpu.sample([xvfb.pid], {xvfb.pid: xvfb_row}), 1) if xvfb_row else None,
                    "system_cpu_pct": round(system.sample(), 1),
                    "procs": len(pids),
                    "pss_mb_by_process": {k: round(v, 1) for k, v in sorted(by_name.items())},
                }
                if samples_out is not None:
                    samples_out.write(json.dumps(sample, separators=(",", ":")) + "\n")
                else:
                    result["samples"].append(sample)
                sample_count += 1
                if first is not None:
                    progress["cpu"] += sample["cpu_pct"]
                    progress["n"] += 1
                if progress["next"] is not None and sampled_at >= progress["next"]:
                    starts = sum(1 for e in read_events(args.events) if e.get("kind") == "item_start")
                    done = sampled_at - result["first_frame_at"]
                    print(
                        f"{args.label}: {clock(done)} of {clock(args.seconds)}, PSS {sample['pss_mb']:.0f} MB,"
                        f" CPU {progress['cpu'] / max(progress['n'], 1):.0f} % of a core (since the last line),"
                        f" {len(pids)} processes, {starts} items started",
                        file=sys.stderr,
                        flush=True,
                    )
                    progress.update(next=progress["next"] + args.progress, cpu=0.0, n=0)
                next_sample += 1.0
                if next_sample < now_mono:  # a slow sample: skip ahead, keep the 1 s rhythm
                    next_sample = now_mono + 1.0
            if end_at is not None and time.time() >= end_at:
                break
            time.sleep(max(0.0, min(0.1, next_sample - time.monotonic())))
    except (Stopped, RuntimeError) as e:
        result["error"] = str(e)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if proc is not None:
            table = proc_table()
            for pid in tree(proc.pid, table):
                known.setdefault((pid, table[pid][2]), table[pid][3])
            result["stopped_at"] = time.time()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    pass
            result["exit_status"] = proc.poll()
            # Helper processes notice their parent's end on their own; give them a moment.
            deadline = time.monotonic() + 3.0
            leftovers = [(pid, start) for (pid, start) in known if alive(pid, start)]
            while leftovers and time.monotonic() < deadline:
                time.sleep(0.1)
                leftovers = [(pid, start) for (pid, start) in leftovers if alive(pid, start)]
            result["left_running_after_sigterm"] = sorted({known[k] for k in leftovers})
            result["killed"] = stop_processes(leftovers, 3.0)
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if xvfb is not None:
            xvfb.terminate()
            try:
                xvfb.wait(timeout=5)
            except subprocess.TimeoutExpired:
                xvfb.kill()
                xvfb.wait()
        if samples_out is not None:
            samples_out.close()
        result["sample_count"] = sample_count
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    if result["error"]:
        print(f"measure {args.label}: {result['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
