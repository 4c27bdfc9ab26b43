FROM rust:1.80
ARG CARGO_TOKEN
RUN cargo login --registry acme "$CARGO_TOKEN"
COPY . .
RUN cargo build --release
