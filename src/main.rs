fn main() -> std::process::ExitCode {
    companion::cli::main()
}
