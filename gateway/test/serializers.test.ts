import { describe, expect, it } from 'vitest';
import { referencedSchemas } from '../src/http/serializers.js';

const shared = {
  Problem: { $id: 'Problem', type: 'object', properties: { errors: { type: 'array', items: { $ref: 'FieldProblem#' } } } },
  FieldProblem: { $id: 'FieldProblem', type: 'object', properties: { field: { type: 'string' } } },
  Invoice: { $id: 'Invoice', type: 'object', properties: { total: { $ref: 'Money#/properties/amount' } } },
  Money: { $id: 'Money', type: 'object', properties: { amount: { type: 'string' } } },
  Unrelated: { $id: 'Unrelated', type: 'string' },
};

describe('a response’s serializer is compiled with', () => {
  it('the shared schemas it refers to, those they refer to, pointers into them included, and no others', () => {
    const response = {
      type: 'object',
      properties: { invoices: { type: 'array', items: { $ref: 'Invoice#' } }, local: { $ref: '#/definitions/x' } },
    };
    expect(Object.keys(referencedSchemas(response, shared)).sort()).toEqual(['Invoice', 'Money']);
    expect(Object.keys(referencedSchemas({ $ref: 'Problem#' }, shared)).sort()).toEqual(['FieldProblem', 'Problem']);
    expect(referencedSchemas({ type: 'string' }, shared)).toEqual({});
  });

  it('each schema once when schemas refer to each other', () => {
    const cyclic = { A: { $id: 'A', properties: { b: { $ref: 'B#' } } }, B: { $id: 'B', properties: { a: { $ref: 'A#' } } } };
    expect(Object.keys(referencedSchemas({ $ref: 'A#' }, cyclic)).sort()).toEqual(['A', 'B']);
  });
});
