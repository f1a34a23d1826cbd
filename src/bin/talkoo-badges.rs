//! The badges module's entry points (the hours and badge pages, the outbox, and kiosk mode's screens): the shell (`src/badges_host.rs`) calls these through the `window.talkooBadges` object that `badges-loader.js` sets, and `src/badges/module.rs` does the work.
//!
//! The exports are defined here, in the binary, because a binary keeps its
//! own `#[wasm_bindgen]` functions whatever it calls; `main` has nothing to
//! start, since the module acts only when the shell asks.

#[cfg(target_arch = "wasm32")]
mod exports {
    use talkoo::badges::module;
    use wasm_bindgen::prelude::*;

    /// Opens the store and sets up the pages' contexts and the outbox, once.
    #[wasm_bindgen]
    pub async fn start(lang: String) {
        module::start(&lang).await;
    }

    /// Draws `view` (`badges`, `hours`, `kiosk-setup` or `kiosk-section`) into
    /// `element`; answers the number to pass to `unmount`.
    #[wasm_bindgen]
    pub fn mount(element: web_sys::HtmlElement, navigate: js_sys::Function, view: String) -> u32 {
        module::mount(element, navigate, &view)
    }

    /// Starts kiosk mode with the stored settings' JSON and draws its
    /// frame into `element`; `tell(kind, value)` reaches the shell.
    #[wasm_bindgen]
    pub fn mount_kiosk(
        element: web_sys::HtmlElement,
        settings: String,
        tell: js_sys::Function,
    ) -> u32 {
        module::mount_kiosk(element, &settings, tell)
    }

    /// Lends the function that answers the catalogue's organisations and
    /// services for the hours pages: `lookup(kind, arg)` gives JSON.
    #[wasm_bindgen]
    pub fn set_directory(lookup: js_sys::Function) {
        module::set_directory(lookup);
    }

    /// The shell's catalogue changed; kiosk and hours pages read it again.
    #[wasm_bindgen]
    pub fn catalogue_changed() {
        module::catalogue_changed();
    }

    /// Imports a `.talkoo` bundle's bytes; resolves to the line that says
    /// what is now in use, rejects with the reason.
    #[wasm_bindgen]
    pub async fn import_bundle(bytes: Vec<u8>) -> Result<String, JsValue> {
        module::import_bundle(bytes).await
    }

    /// Writes a `.talkoo` bundle of the stored catalogue; resolves to
    /// `{name, bytes, done}`, rejects with the reason.
    #[wasm_bindgen]
    pub async fn export_bundle() -> Result<JsValue, JsValue> {
        module::export_bundle().await
    }

    /// Removes a view `mount` drew.
    #[wasm_bindgen]
    pub fn unmount(id: u32) {
        module::unmount(id);
    }

    /// The shell's new address (route and query, without the base path).
    #[wasm_bindgen]
    pub fn route(url: String) {
        module::route(url);
    }

    /// The shell's language tag.
    #[wasm_bindgen]
    pub fn set_lang(tag: String) {
        module::set_lang(&tag);
    }

    /// The catalogue's badge records as JSON.
    #[wasm_bindgen]
    pub fn set_feed(json: String) {
        module::set_feed(&json);
    }

    /// Writes a backup file: `{ name, text, done }`.
    #[wasm_bindgen]
    pub async fn write_backup() -> Result<JsValue, JsValue> {
        module::write_backup().await
    }

    /// Restores a backup file's text; answers what changed, in words.
    #[wasm_bindgen]
    pub async fn restore_backup(text: String) -> Result<String, JsValue> {
        module::restore_backup(text).await
    }
}

fn main() {}
