/**
 * The dashboard's one table shape: a box that scrolls sideways on a phone, a header row of column
 * names (numeric columns right-aligned, as their cells are), and the page's rows as the body.
 */
import type { Child } from 'hono/jsx';
import { Breakable } from './layout';

/** A column's heading: plain text, or markup and whether the column holds numbers. */
export type Column = string | { head: Child; num?: boolean };

/** A numeric column. */
export const num = (head: Child): Column => ({ head, num: true });

export function Table(props: {
  columns: Column[];
  children: Child;
  /** Attributes of the scrolling box (a live part's id), before its class. */
  box?: Record<string, string | boolean>;
  class?: string;
  'aria-describedby'?: string;
  'data-section'?: string;
}) {
  const { columns, children, box, ...table } = props;
  return (
    <div {...box} class="scroll">
      <table {...table}>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col">{c}</th>
              ) : (
                <th scope="col" class={c.num ? 'num' : undefined}>
                  {c.head}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A test's name in a table: wraps anywhere, and the full id on hover. */
export function TestCell(props: { name: string; id: string | null | undefined }) {
  return (
    <td class="text" title={props.id ?? undefined}>
      <Breakable text={props.name} />
    </td>
  );
}
