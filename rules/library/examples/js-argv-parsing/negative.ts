import { Command } from "commander";

const program = new Command().option("--verbose");
const file: string = process.argv[2] ?? "input.txt";
export { program, file };
