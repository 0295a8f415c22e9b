#!/usr/bin/env python3
"""Benchmark `masker dump` against `mariadb-dump --single-transaction | zstd`.

Usage: dump_bench.py MASKER_BIN DATABASE [RULES.toml]

Runs each dump once in the same run (page cache warmed by a first unmeasured
read), on the local MariaDB (root@127.0.0.1:3306), into a scratch directory,
and prints wall time, client CPU seconds (the dumping processes: masker, or
mariadb-dump + zstd), server CPU seconds (mariadbd), output size, and client
CPU-seconds per GB of uncompressed SQL. Data volume is the size of the plain
`mariadb-dump` output.
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

masker, db = sys.argv[1], sys.argv[2]
rules = sys.argv[3] if len(sys.argv) > 3 else None
conn = ["-uroot", "-h127.0.0.1", "-P3306"]


def server_cpu():
    pid = subprocess.check_output(["pidof", "mariadbd"]).split()[0].decode()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(name, run):
    c0, s0, t0 = children_cpu(), server_cpu(), time.monotonic()
    out_bytes = run()
    wall = time.monotonic() - t0
    return dict(name=name, wall=wall, cpu=children_cpu() - c0, server=server_cpu() - s0, out=out_bytes)


work = tempfile.mkdtemp(prefix="masker-bench-")
try:
    # Warm the buffer pool and measure the data volume (plain SQL size).
    plain = os.path.join(work, "plain.sql")
    with open(plain, "wb") as f:
        subprocess.check_call(["mariadb-dump", *conn, "--single-transaction", db], stdout=f)
    volume = os.path.getsize(plain)
    os.remove(plain)

    def mariadb_dump_zstd():
        path = os.path.join(work, "dump.sql.zst")
        with open(path, "wb") as f:
            p1 = subprocess.Popen(["mariadb-dump", *conn, "--single-transaction", db], stdout=subprocess.PIPE)
            p2 = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=p1.stdout, stdout=f)
            p1.stdout.close()
            assert p2.wait() == 0 and p1.wait() == 0
        return os.path.getsize(path)

    def masker_dump(fmt, with_rules):
        def run():
            out = os.path.join(work, f"masker-{fmt}-{with_rules}")
            cmd = [masker, "dump", "--url", "mysql://root@127.0.0.1:3306/", "--databases", db,
                   "--threads", "2", "--format", fmt, "--out", out, "-q"]
            if with_rules:
                cmd += ["--rules", rules]
            subprocess.check_call(cmd)
            size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
            shutil.rmtree(out)
            return size
        return run

    runs = [measure("mariadb-dump --single-transaction | zstd -3", mariadb_dump_zstd),
            measure("masker dump --threads 2 (sql, zstd)", masker_dump("sql", False)),
            measure("masker dump --threads 2 (tsv, zstd)", masker_dump("tsv", False))]
    if rules:
        runs.append(measure("masker dump --threads 2 --rules (sql, zstd)", masker_dump("sql", True)))
    gb = volume / 1e9
    base = runs[0]["wall"]
    print(f"data: {db}, {volume / 1e6:.1f} MB of plain SQL")
    print(f"{'tool':48} {'wall s':>7} {'speed':>6} {'client cpu s':>12} {'cpu s/GB':>8} {'server cpu s':>12} {'out MB':>7}")
    for r in runs:
        print(f"{r['name']:48} {r['wall']:7.2f} {base / r['wall']:5.2f}x {r['cpu']:12.2f} {r['cpu'] / gb:8.2f} "
              f"{r['server']:12.2f} {r['out'] / 1e6:7.1f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
