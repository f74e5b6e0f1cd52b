// The one wrapper around @inquirer/prompts. The questionnaire talks to the Prompter interface only,
// so tests drive it with a scripted prompter, and the prompt library is loaded only by `assess`.

import { InterruptedError } from '../errors.js';

export interface Choice<V> {
  readonly value: V;
  readonly label: string;
  /** Shown under the list when the choice is highlighted. */
  readonly description?: string;
}

export interface Prompter {
  /** One of several choices; `separator` draws a line between groups. */
  select<V>(message: string, choices: readonly (Choice<V> | 'separator')[], options?: { default?: V }): Promise<V>;
  /** Any number of choices; an `exclusive` one is unticked by ticking another, and unticks the others when ticked. */
  checkbox<V>(message: string, choices: readonly (Choice<V> & { checked?: boolean; exclusive?: boolean })[]): Promise<V[]>;
  /** `editable`: the default is put in the line to edit or clear, rather than offered when the line is left empty. */
  input(message: string, options?: { default?: string; editable?: boolean; validate?: (value: string) => string | true }): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/** A Prompter on real terminal streams. Ctrl+C becomes InterruptedError. */
export async function terminalPrompter(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Aborted on Ctrl+C between prompts: the prompt showing, or the next one, ends as Ctrl+C at a prompt does. */
  signal?: AbortSignal;
}): Promise<Prompter> {
  const inquirer = await import('@inquirer/prompts');
  const { exclusiveCheckbox } = await import('./checkboxPrompt.js');
  const context = { input: streams.input, output: streams.output, ...(streams.signal && { signal: streams.signal }) };
  const interruptible = async <T>(prompt: Promise<T>): Promise<T> => {
    try {
      return await prompt;
    } catch (e) {
      // Matched by name: the error class may come from a second copy of the package.
      if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) throw new InterruptedError('interrupted');
      throw e;
    }
  };
  return {
    select: (message, choices, options) =>
      interruptible(
        inquirer.select(
          {
            message,
            choices: choices.map((c) =>
              c === 'separator'
                ? new inquirer.Separator()
                : { value: c.value, name: c.label, ...(c.description !== undefined && { description: c.description }) },
            ),
            ...(options?.default !== undefined && { default: options.default }),
            pageSize: 12,
            loop: false,
          },
          context,
        ),
      ),
    checkbox: async (message, choices) => {
      const ticked = await interruptible(
        exclusiveCheckbox(
          {
            message,
            choices: choices.map((c, i) => ({
              value: i,
              label: c.label,
              checked: c.checked === true,
              exclusive: c.exclusive === true,
              ...(c.description !== undefined && { description: c.description }),
            })),
            columns: () => (streams.output as Partial<NodeJS.WriteStream>).columns,
          },
          context,
        ),
      );
      return choices.filter((_, i) => ticked.includes(i)).map((c) => c.value);
    },
    input: (message, options) =>
      interruptible(
        inquirer.input(
          {
            message,
            ...(options?.default !== undefined && { default: options.default }),
            ...(options?.editable === true && { prefill: 'editable' as const }),
            ...(options?.validate && { validate: options.validate }),
          },
          context,
        ),
      ),
    confirm: (message, defaultValue) => interruptible(inquirer.confirm({ message, default: defaultValue }, context)),
  };
}
