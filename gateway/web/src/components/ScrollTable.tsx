// A table of the staff pages: its column headings, and a region that scrolls sideways on a narrow
// screen, named by the section's heading and reachable by keyboard so its hidden columns can be read.
import type { ReactNode } from 'react';

export function ScrollTable({ labelledBy, columns, children }: { labelledBy: string; columns: ReactNode[]; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th scope="col" key={index}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
