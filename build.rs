//! Keeps the linker's relocations in the shell's wasm, which `talkoo-split` needs to move the pages few visits open into a module of their own.
//!
//! Only the `talkoo` binary built for the browser gets them: the workers,
//! the badges module and the native builds link as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=talkoo=--emit-relocs");
    }
}
