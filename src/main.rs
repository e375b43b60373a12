/// mimalloc: faster than the system allocator for the many small strings a
/// build makes, and returns freed memory sooner (see benches/bench.sh).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    companion::cmd::cli::main()
}
