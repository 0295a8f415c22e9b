# The masker image: `masker` and `masker-aws` on Debian slim. One image for
# every task of a sharded job (plan, run-shard, finish, cleanup; see
# `masker-aws state-machine`) and for the one-process backup and mask jobs.
#
#   docker build -t masker .
#   docker run --rm -e AWS_REGION -v "$PWD/job.toml:/etc/masker/job.toml:ro" \
#     masker masker-aws backup --config /etc/masker/job.toml

# Build: the AWS SDK needs Rust 1.94.1 or later.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY masker-core masker-core
COPY masker-cli masker-cli
COPY masker-mysql masker-mysql
COPY masker-aws masker-aws
COPY benches benches
COPY testdata testdata
RUN cargo build --release --locked -p masker-cli -p masker-aws \
 && install -D -m 0755 target/release/masker target/release/masker-aws -t /out/

# Run: CA certificates for TLS to AWS; no shell tools are needed by the jobs.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/masker --create-home masker
COPY --from=build /out/masker /out/masker-aws /usr/local/bin/
USER masker
WORKDIR /var/lib/masker
# Dumps are staged in TMPDIR before they go to S3: mount a volume there for
# big tables.
ENV TMPDIR=/var/lib/masker
ENTRYPOINT []
CMD ["masker-aws", "--help"]
