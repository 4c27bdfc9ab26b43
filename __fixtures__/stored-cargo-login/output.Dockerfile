# syntax=docker/dockerfile:1
FROM rust:1.80
COPY . .
RUN --mount=type=secret,id=cargo_token,env=CARGO_TOKEN CARGO_REGISTRIES_ACME_TOKEN="$CARGO_TOKEN" cargo build --release
