/**
 * The expression dispatcher: reads one JSON node, counts it against the document's
 * depth and node limits, and hands it to the parser of its node kind (references and
 * literals, boolean nodes, IN, computed values). One parser serves a whole document, so
 * the node limit covers all of its predicates together.
 */
import type { DecodeFiltersOptions, FilterLimits } from "./decode-options.js";
import { FilterDecodeError } from "./filter-errors.js";
import type { FilterPayload } from "./filter-payload.js";
import type { FilterExpression } from "./filter-tree.js";
import { object } from "./json-shape.js";
import type { NodeScope } from "./node-scope.js";
import { parseComparison, parseConnective, parseIsNull, parseNot } from "./parse-boolean-nodes.js";
import { parseIn } from "./parse-in-node.js";
import { parseColumnRef, parseFieldRef, parseLiteral } from "./parse-reference-nodes.js";
import { parseArithmetic, parseCall, parseCast, parseNegate } from "./parse-value-nodes.js";

export class ExpressionParser {
  private nodes = 0;

  constructor(
    private readonly payload: FilterPayload,
    private readonly options: DecodeFiltersOptions,
    private readonly limits: FilterLimits,
  ) {}

  /** Decode the expression `raw` found at `depth` (a predicate root is depth 1). */
  expression(raw: unknown, depth: number): FilterExpression {
    if (depth > this.limits.maxDepth) {
      throw new FilterDecodeError(`expression deeper than ${this.limits.maxDepth}`);
    }
    if (++this.nodes > this.limits.maxNodes) {
      throw new FilterDecodeError(`more than ${this.limits.maxNodes} expression nodes`);
    }
    const value = object(raw, "expression");
    const scope: NodeScope = {
      payload: this.payload,
      options: this.options,
      limits: this.limits,
      child: (item) => this.expression(item, depth + 1),
    };
    const node = value.node;
    switch (node) {
      case "column_ref":
        return parseColumnRef(value, scope);
      case "field_ref":
        return parseFieldRef(value, scope);
      case "literal":
        return parseLiteral(value, scope);
      case "comparison":
        return parseComparison(value, scope);
      case "and":
      case "or":
        return parseConnective(node, value, scope);
      case "not":
        return parseNot(value, scope);
      case "is_null":
        return parseIsNull(value, scope);
      case "in":
        return parseIn(value, scope);
      case "cast":
        return parseCast(value, scope);
      case "arithmetic":
        return parseArithmetic(value, scope);
      case "negate":
        return parseNegate(value, scope);
      case "call":
        return parseCall(value, scope);
      default:
        throw new FilterDecodeError(`unknown expression node ${JSON.stringify(node)}`);
    }
  }
}
