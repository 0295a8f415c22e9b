#!/usr/bin/env python3
"""Benchmark `masker dump` and `masker load` against their peers.

Usage: dump_bench.py MASKER_BIN DATABASE [RULES.toml]

Dumps: `mariadb-dump --single-transaction | zstd`, `mydumper --threads 2
--compress` (when installed: Debian package `mydumper`) and `masker dump
--threads 2`. Loads, into scratch databases dropped afterwards: `mariadb <
dump.sql`, `myloader --threads 2` (when installed) and `masker load --threads
2` (TSV and SQL chunks).

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

    def mydumper_dump():
        out = os.path.join(work, "mydumper")
        subprocess.check_call(["mydumper", "--host", "127.0.0.1", "--port", "3306", "--user", "root",
                               "--database", db, "--threads", "2", "--compress", "--outputdir", out,
                               "--rows", "500000", "--trx-consistency-only"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))

    have_mydumper = shutil.which("mydumper") is not None
    runs = [measure("mariadb-dump --single-transaction | zstd -3", mariadb_dump_zstd),
            measure("masker dump --threads 2 (sql, zstd)", masker_dump("sql", False)),
            measure("masker dump --threads 2 (tsv, zstd)", masker_dump("tsv", False))]
    if have_mydumper:
        runs.append(measure("mydumper --threads 2 --compress", mydumper_dump))
    if rules:
        runs.append(measure("masker dump --threads 2 --rules (sql, zstd)", masker_dump("sql", True)))
    gb = volume / 1e9

    def table(title, runs):
        base = runs[0]["wall"]
        print(f"\n{title} ({volume / 1e6:.1f} MB of plain SQL); speed relative to the first line")
        print(f"{'tool':48} {'wall s':>7} {'speed':>6} {'client cpu s':>12} {'cpu s/GB':>8} {'server cpu s':>12} {'out MB':>7}")
        for r in runs:
            print(f"{r['name']:48} {r['wall']:7.2f} {base / r['wall']:5.2f}x {r['cpu']:12.2f} {r['cpu'] / gb:8.2f} "
                  f"{r['server']:12.2f} {r['out'] / 1e6:7.1f}")

    table(f"dump of {db}", runs)

    # Loads: each tool's own dump of the same database, into a scratch database.
    scratch = f"masker_bench_load_{os.getpid()}"

    def sql(statement):
        subprocess.check_call(["mariadb", *conn, "-e", statement])

    def fresh():
        sql(f"DROP DATABASE IF EXISTS `{scratch}`")

    sources = {}
    plain = os.path.join(work, "load.sql")
    with open(plain, "wb") as f:
        subprocess.check_call(["mariadb-dump", *conn, "--single-transaction", db], stdout=f)
    for fmt in ["tsv", "sql"]:
        out = os.path.join(work, f"load-{fmt}")
        subprocess.check_call([masker, "dump", "--url", "mysql://root@127.0.0.1:3306/", "--databases", db,
                               "--threads", "2", "--format", fmt, "--out", out, "-q"])
        sources[fmt] = out
    if have_mydumper:
        subprocess.check_call(["mydumper", "--host", "127.0.0.1", "--port", "3306", "--user", "root",
                               "--database", db, "--threads", "2", "--compress", "--rows", "500000",
                               "--outputdir", os.path.join(work, "load-mydumper")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def mariadb_load():
        fresh()
        sql(f"CREATE DATABASE `{scratch}`")
        with open(plain, "rb") as f:
            subprocess.check_call(["mariadb", *conn, scratch], stdin=f)
        return 0

    def masker_load(fmt):
        def run():
            fresh()
            subprocess.check_call([masker, "load", "--url", "mysql://root@127.0.0.1:3306/", "--threads", "2",
                                   "--into-database", scratch, "--no-progress-log", "-q", sources[fmt]])
            return 0
        return run

    def myloader_load():
        fresh()
        subprocess.check_call(["myloader", "--host", "127.0.0.1", "--port", "3306", "--user", "root",
                               "--threads", "2", "--directory", os.path.join(work, "load-mydumper"),
                               "--database", scratch, "--overwrite-tables"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return 0

    loads = [measure("mariadb < dump.sql", mariadb_load)]
    if have_mydumper:
        loads.append(measure("myloader --threads 2", myloader_load))
    loads.append(measure("masker load --threads 2 (tsv chunks)", masker_load("tsv")))
    loads.append(measure("masker load --threads 2 (sql chunks)", masker_load("sql")))
    fresh()
    table(f"load of {db}", loads)
finally:
    shutil.rmtree(work, ignore_errors=True)
