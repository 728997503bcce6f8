//! Times `net_connections(All)`.
//!
//! Usage: `bench_net_connections [ROUNDS]`. Prints one line per round:
//! milliseconds for one call, and the number of sockets it returned.

use std::time::Instant;

use psutil::net::{net_connections, ConnectionKind};

fn main() -> psutil::Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    for _ in 0..rounds {
        let t = Instant::now();
        let n = net_connections(ConnectionKind::All)?.len();
        println!("{:.3} {n}", t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(())
}
