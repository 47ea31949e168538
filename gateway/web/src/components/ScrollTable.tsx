// A table of the staff pages. On a wide screen: column headings, in a region that scrolls sideways
// when the columns do not fit, reachable by keyboard so hidden columns can be read. On a phone the
// rows become stacked cards, each cell under its column's name (data-label), so nothing scrolls
// sideways. The region is named "<section heading> table": the section around it is a landmark of
// the heading's name already, and two landmarks of one name cannot be told apart.
// The roles are written out because a browser stops exposing a table whose parts are display:
// block (the cards) as a table: with them, a screen reader still reads rows, cells and headers.
import { Children, cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Cell = ReactElement<{ children?: ReactNode; 'data-label'?: string; role?: string }>;

/** Each cell of each row gets its column's name, which the narrow layout shows before it. */
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

export function ScrollTable({ labelledBy, columns, children }: { labelledBy: string; columns: ReactNode[]; children: ReactNode }) {
  const { t } = useTranslation();
  const tableWord = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${labelledBy} ${tableWord}`} tabIndex={0}>
      <span id={tableWord} hidden>
        {t('common.table')}
      </span>
      <table className="table table--cards" role="table">
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
    </div>
  );
}
