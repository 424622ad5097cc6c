/**
 * The lines the handlers log (console.log) during each test, instead of printing them: one array, emptied
 * before each test. Tests may push other loggers' lines into it as well.
 */
export function capturedLogLines(): string[] {
  const lines: string[] = [];
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    lines.length = 0;
    spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
  });
  afterEach(() => {
    spy?.mockRestore();
  });
  return lines;
}
