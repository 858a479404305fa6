//! The message loop: initialisation, notifications, requests, debounced analysis.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
    Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use serde_json::Value;

use crate::features;
use crate::world::World;

/// How the server runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluate as of this day (tests pin it); otherwise milepost.yaml's `as_of` or today.
    pub as_of: Option<NaiveDate>,
    /// How long edits must pause before they are analysed.
    pub debounce: Option<Duration>,
}

/// The default quiet period after an edit.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Serves the protocol over standard input and output until the client exits.
pub fn serve_stdio(options: &Options) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (connection, io_threads) = Connection::stdio();
    run(&connection, options)?;
    drop(connection);
    // The writer fails when the client closed its end first: the session is over anyway.
    let _ = io_threads.join();
    Ok(())
}

/// The server's capabilities.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![
                ":".into(),
                " ".into(),
                "[".into(),
                ",".into(),
                "/".into(),
            ]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The portfolio root from the client's workspace: the root URI or the first folder, or a
/// portfolio found upwards from it.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    #[expect(deprecated, reason = "older clients send only rootUri or rootPath")]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().ok())
        .or_else(|| params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))?;
    portfolio_at(&root)
}

/// The portfolio that `start` is in or is, when there is one.
fn portfolio_at(start: &std::path::Path) -> Option<PathBuf> {
    let root = milepost_session::locate(start).ok()?;
    let is_portfolio = root.join("milepost.yaml").is_file()
        || root.join("milepost.yml").is_file()
        || root.join("programs").is_dir();
    is_portfolio.then(|| std::path::absolute(&root).unwrap_or(root))
}

struct Server<'a> {
    connection: &'a Connection,
    options: &'a Options,
    world: Option<World>,
    /// What was last published per file: only changes are sent again, and a file whose
    /// findings are gone gets an empty list.
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
}

/// Runs the protocol on `connection`: the initialize handshake, then messages until exit.
pub fn run(
    connection: &Connection,
    options: &Options,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let params = connection.initialize(serde_json::to_value(capabilities())?)?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let mut server = Server {
        connection,
        options,
        world: workspace_root(&params).map(|root| World::new(root, options.as_of)),
        published: BTreeMap::new(),
    };
    server.publish();
    let debounce = options.debounce.unwrap_or(DEBOUNCE);
    loop {
        let dirty = server.world.as_ref().is_some_and(World::dirty);
        let provisional = server.world.as_ref().is_some_and(World::provisional);
        let message = if dirty || provisional {
            match connection.receiver.recv_timeout(debounce) {
                Ok(m) => m,
                Err(timeout) if timeout.is_timeout() => {
                    // Quiet: analyse the edits, or make a provisional analysis exact.
                    if !dirty && let Some(world) = server.world.as_mut() {
                        world.make_exact();
                    }
                    server.publish();
                    continue;
                }
                Err(_) => return Ok(()),
            }
        } else {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(()),
            }
        };
        match message {
            Message::Request(request) => {
                // After `shutdown`, a client that goes away without `exit` ends the session
                // just as well.
                match connection.handle_shutdown(&request) {
                    Ok(false) => server.request(request),
                    Ok(true) | Err(_) => return Ok(()),
                }
            }
            Message::Notification(n) => {
                if n.method == lsp_types::notification::Exit::METHOD {
                    return Ok(());
                }
                server.notification(n);
            }
            Message::Response(_) => {}
        }
    }
}

impl Server<'_> {
    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    /// The path of `url` in the portfolio, finding the portfolio from it when there is none
    /// yet.
    fn path_of(&mut self, url: &Url) -> Option<String> {
        if self.world.is_none()
            && let Ok(file) = url.to_file_path()
            && let Some(root) = file.parent().and_then(portfolio_at)
        {
            self.world = Some(World::new(root, self.options.as_of));
        }
        let world = self.world.as_ref()?;
        crate::convert::relative(world.root(), url)
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                    && let Some(path) = self.path_of(&p.text_document.uri)
                    && let Some(world) = self.world.as_mut()
                {
                    world.set_buffer(&path, &p.text_document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    && let Some(path) = self.path_of(&p.text_document.uri)
                    && let Some(world) = self.world.as_mut()
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    world.set_buffer(&path, &change.text);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                    && let Some(path) = self.path_of(&p.text_document.uri)
                    && let Some(world) = self.world.as_mut()
                {
                    world.refresh(&path);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    && let Some(path) = self.path_of(&p.text_document.uri)
                    && let Some(world) = self.world.as_mut()
                {
                    world.close(&path);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(world) = self.world.as_mut() {
                    world.reload_disk();
                }
            }
            _ => {}
        }
    }

    /// Analyses when stale and publishes the diagnostics of every file whose findings
    /// changed (an empty list for a file whose findings are gone).
    fn publish(&mut self) {
        let Some(world) = self.world.as_mut() else {
            return;
        };
        let started = std::time::Instant::now();
        let mut now = features::diagnostics(world);
        if std::env::var_os("MILEPOST_LSP_TRACE").is_some() {
            crate::world::trace(&format!("diagnostics: {:?} in all", started.elapsed()));
        }
        let root = world.root().to_path_buf();
        for gone in self.published.keys().filter(|f| !now.contains_key(*f)) {
            if let Some(uri) = crate::convert::url(&root, gone) {
                self.notify_diagnostics(uri, Vec::new());
            }
        }
        for (file, diagnostics) in &now {
            if self.published.get(file) != Some(diagnostics)
                && let Some(uri) = crate::convert::url(&root, file)
            {
                self.notify_diagnostics(uri, diagnostics.clone());
            }
        }
        std::mem::swap(&mut self.published, &mut now);
    }

    fn notify_diagnostics(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            params,
        )));
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        // Answer from the latest text: analyse (and publish) first when an edit is pending.
        if self.world.as_ref().is_some_and(World::dirty) {
            self.publish();
        }
        let result = match self.world.as_mut() {
            None => Ok(Value::Null),
            Some(world) => answer(world, &method, params),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => error(id, &message),
        };
        self.send(Message::Response(response));
    }
}

fn error(id: RequestId, message: &str) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, message.to_owned())
}

/// The answer to one request, as JSON.
fn answer(world: &mut World, method: &str, params: Value) -> Result<Value, String> {
    fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, String> {
        serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
    }
    let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
    match method {
        Completion::METHOD => json(serde_json::to_value(features::completion(
            world,
            &parse(params)?,
        ))),
        HoverRequest::METHOD => json(serde_json::to_value(features::hover(
            world,
            &parse(params)?,
        ))),
        GotoDefinition::METHOD => json(serde_json::to_value(features::definition(
            world,
            &parse(params)?,
        ))),
        References::METHOD => json(serde_json::to_value(features::references(
            world,
            &parse(params)?,
        ))),
        DocumentSymbolRequest::METHOD => json(serde_json::to_value(features::document_symbols(
            world,
            &parse(params)?,
        ))),
        WorkspaceSymbolRequest::METHOD => json(serde_json::to_value(features::workspace_symbols(
            world,
            &parse(params)?,
        ))),
        CodeActionRequest::METHOD => json(serde_json::to_value(features::code_actions(
            world,
            &parse(params)?,
        ))),
        _ => Ok(Value::Null),
    }
}
