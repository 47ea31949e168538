// A table of the staff pages: on a wide screen its columns in a region that scrolls sideways when
// they do not fit, reachable by keyboard so hidden columns can be read; on a phone stacked cards
// (StackedTable). The region is named "<section heading> table": the section around it is a
// landmark of the heading's name already, and two landmarks of one name cannot be told apart.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { StackedTable } from './StackedTable';

export function ScrollTable({ labelledBy, columns, children }: { labelledBy: string; columns: ReactNode[]; children: ReactNode }) {
  const { t } = useTranslation();
  const tableWord = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${labelledBy} ${tableWord}`} tabIndex={0}>
      <span id={tableWord} hidden>
        {t('common.table')}
      </span>
      <StackedTable columns={columns}>{children}</StackedTable>
    </div>
  );
}
