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

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// Serves the protocol on `input`/`output` until the client sends `exit` or closes the input.
pub async fn serve<I: AsyncRead + Unpin, O: AsyncWrite>(input: I, output: O) {
    let (service, socket) = LspService::new(Backend::new);
    Server::new(input, output, socket).concurrency_level(1).serve(service).await;
}

/// Serves on standard input and output (what `chiso lsp` runs).
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}
