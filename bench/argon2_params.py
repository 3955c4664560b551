#!/usr/bin/env python
"""Choose the Argon2id parameters for this machine from a measurement.

The budget: a rush of USERS sign-ins within WINDOW seconds on this machine's cores may spend SHARE of the CPU on
hashing (the rest goes to the requests themselves, the database and the other pages), so one hash may take
cores × WINDOW × SHARE / USERS seconds of one core (2 × 10 × 0.5 / 200 = 50 ms on the 2-core server).
The candidates are OWASP's Argon2id settings, which it rates as equally strong (m=47104 KiB t=1, m=19456 KiB t=2,
m=12288 KiB t=3, m=9216 KiB t=4, m=7168 KiB t=5; all p=1), and bigger ones above them. Of those whose median
time fits the budget, the one with the most memory wins (memory is what makes a GPU or ASIC attack costly);
never fewer than OWASP's minimum of m=19 MiB, t=2 (or the equal m=46 MiB, t=1). p=1: one lane per sign-in, so
that simultaneous sign-ins share the cores instead of each taking all of them.

Usage: python bench/argon2_params.py [--users 200] [--window 10] [--share 0.5] [--repeat 15]
Prints the measurements and the environment lines to set (ARGON2_MEMORY_KIB, ARGON2_TIME_COST,
ARGON2_PARALLELISM). The machine's other work shows in the figures: run it when the machine is otherwise quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from argon2.low_level import Type, hash_secret

CANDIDATES = [  # (memory KiB, time cost): OWASP's equal-strength list, then stronger ones
    (7168, 5),
    (9216, 4),
    (12288, 3),
    (19456, 2),
    (47104, 1),
    (32768, 2),
    (65536, 1),
    (65536, 2),
    (102400, 2),
]
MINIMUM = {(19456, 2), (47104, 1), (32768, 2), (65536, 1), (65536, 2), (102400, 2)}  # at least OWASP's minimum


def measure(memory: int, time_cost: int, repeat: int) -> float:
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        hash_secret(
            b"Rush-hour-2026",
            b"sixteen-byte-slt" + bytes([n]),
            time_cost=time_cost,
            memory_cost=memory,
            parallelism=1,
            hash_len=32,
            type=Type.ID,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--share", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    budget = cores * args.window * args.share / args.users
    print(
        f"{cores} cores; budget per hash: {budget * 1000:.0f} ms ({args.users} sign-ins in {args.window:g} s, "
        f"{args.share:.0%} of the CPU for hashing)"
    )
    fits = []
    for memory, time_cost in CANDIDATES:
        seconds = measure(memory, time_cost, args.repeat)
        ok = seconds <= budget and (memory, time_cost) in MINIMUM
        print(
            f"  m={memory:6d} KiB ({memory / 1024:5.1f} MiB) t={time_cost} p=1: {seconds * 1000:6.1f} ms"
            f"{'  fits' if ok else ''}"
        )
        if ok:
            fits.append((memory, time_cost, seconds))
    if not fits:
        print(
            "Nothing at OWASP's minimum fits the budget: keep m=19456 t=2 p=1 and add cores (or accept a slower rush)."
        )
        memory, time_cost = 19456, 2
    else:
        memory, time_cost, _ = max(fits, key=lambda f: (f[0], -f[2]))
    print(f"Chosen: ARGON2_MEMORY_KIB={memory} ARGON2_TIME_COST={time_cost} ARGON2_PARALLELISM=1")


if __name__ == "__main__":
    main()
