export { PushdownFilters, type PushdownFilterOptions } from "./pushdown-filters.js";
export { FilterEvaluator, FilterEvaluationError } from "./evaluate-filter.js";
export { selectRows, takeRows } from "./select-rows.js";
export {
  renderExpression,
  renderPredicates,
  reprExpression,
  reprPredicates,
  renderValue,
  type RenderOptions,
} from "./render-filters.js";
export {
  ROW_ID_KEY,
  int64RowIdRange,
  int64RowIds,
  rowIdColumnOf,
  rowIdSelection,
  type RowIdBound,
  type RowIdSelection,
} from "./row-id-selection.js";
