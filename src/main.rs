//! Entry point of the browser bundle: mounts the app, nothing else.
fn main() {
    checkout_app::start();
}
