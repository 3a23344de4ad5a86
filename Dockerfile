# The Button: one image, every role (`the-button serve|reducer|watcher|migrate|all`).
# Built with cargo-leptos; the project's own setup script installs the pinned tools.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The project's own setup installs the pinned cargo-leptos, wasm-bindgen and npm's wasm-opt.
RUN scripts/setup.sh
# The Web Worker's proof-of-work WASM first (into public/, which cargo-leptos copies to the site).
RUN . scripts/env.sh && scripts/build-worker.sh && cargo leptos build --release --precompress
# cargo-leptos writes its gzip forms at a fast level (the WASM's 500 KB, against 425 KB at -9):
# written again at -9 for the clients that do not take brotli.
RUN find target/site -name '*.gz' -exec sh -c 'gzip -9 -n -c "${1%.gz}" > "$1"' _ {} \;

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app button
WORKDIR /app
COPY --from=build /src/target/server-release/the-button /app/the-button
# The hashes of the page's files (cargo-leptos's hash-files), read beside the binary.
COPY --from=build /src/target/server-release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
# The offline country database (npm's @ip-location-db/geo-whois-asn-country-mmdb, CC BY 4.0).
COPY --from=build /src/end2end/node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb /app/countries.mmdb
ENV LEPTOS_OUTPUT_NAME=the-button \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_ENV=PROD \
    BUTTON_GEO_DATABASE=/app/countries.mmdb \
    RUST_LOG=info
USER button
EXPOSE 3000
ENTRYPOINT ["/app/the-button"]
CMD ["all"]
