// The one row of a table with nothing to list, saying so across every column.

export function EmptyRow({ cols, text }: { cols: number; text: string }) {
  return (
    <tr>
      <td colSpan={cols} class="muted">
        {text}
      </td>
    </tr>
  );
}
