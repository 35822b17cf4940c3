export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: Instruction[];
}

/**
 * A Dockerfile read as text, one instruction a line once continuation lines are joined: the global
 * ARGs before the first FROM, then each stage's instructions. Enough for our own file; no engine
 * or hadolint runs here (docs/adr/0006).
 */
export function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?: AS (\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ from, name: name ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0) {
      globalArgs.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}
