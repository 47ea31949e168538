// A table that becomes stacked cards on a phone: each cell shows its column's name (data-label)
// before its value, and nothing scrolls sideways. The roles are written out because a browser
// stops exposing a table whose parts are display: block as a table: with them, a screen reader
// still reads rows, cells and headers. Rows are <tr> children whose cells follow `columns`.
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';

type Cell = ReactElement<{ children?: ReactNode; 'data-label'?: string; role?: string }>;

/** Each cell of each row gets its column's name and its role. */
function labelled(rows: ReactNode, columns: ReactNode[]): ReactNode {
  return Children.map(rows, (row) => {
    if (!isValidElement<{ children?: ReactNode }>(row)) return row;
    const cells = Children.map(row.props.children, (cell, index) => {
      if (!isValidElement(cell)) return cell;
      const label = columns[index];
      return cloneElement(cell as Cell, {
        role: cell.type === 'th' ? 'rowheader' : 'cell',
        ...(typeof label === 'string' ? { 'data-label': label } : {}),
      });
    });
    return cloneElement(row as ReactElement<{ children?: ReactNode; role?: string }>, { role: 'row' }, cells);
  });
}

export function StackedTable({ columns, children, labelledBy }: { columns: ReactNode[]; children: ReactNode; labelledBy?: string }) {
  return (
    <table className="table table--stacked" role="table" aria-labelledby={labelledBy}>
      <thead role="rowgroup">
        <tr role="row">
          {columns.map((column, index) => (
            <th scope="col" role="columnheader" key={index}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">{labelled(children, columns)}</tbody>
    </table>
  );
}
