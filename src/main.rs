//! Entry point: mounts the app in the browser and nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    talkoo::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Talkoo runs in the browser: build and serve it with `make run`.");
    std::process::exit(2);
}
