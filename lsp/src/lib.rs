//! The Chiso language server, started by `chiso lsp`: diagnostics as you type (the same as
//! `chiso check`, plans checked with their rulebook), hover, go to definition, references,
//! outline, workspace symbols, formatting, rename, completion, code actions, inlay hints and
//! semantic tokens, for rulebooks and plans.
//!
//! Built on `tower-lsp-server` (see ARCHITECTURE.md for why). Messages are handled one at a time
//! in arrival order (`concurrency_level(1)`): one ordered path from the client's changes to the
//! database, so a request never races a `didChange`. `lang` knows nothing of this crate.

#![forbid(unsafe_code)]

mod actions;
mod complete;
pub mod engine;
pub mod ide;
pub mod server;
pub mod text;

mod framing;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// Serves the protocol on `input`/`output` until the client sends `exit` or closes the input.
///
/// The client's bytes go through our own framing first (`framing.rs`): `tower-lsp-server`'s
/// reader stops for good after one undecodable message (a body that is not UTF-8 or not JSON),
/// so only well-formed messages reach it, and the rest are answered here.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, from_server) = tokio::io::duplex(1 << 20);
    let (service, socket) = LspService::new(Backend::new);
    let server = Server::new(server_in, server_out, socket).concurrency_level(1).serve(service);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::join!(
        server,
        framing::read_client(input, to_server, tx.clone()),
        framing::pump_server(from_server, tx),
        framing::write_client(rx, output),
    );
}

/// Serves on standard input and output (what `chiso lsp` runs).
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}
