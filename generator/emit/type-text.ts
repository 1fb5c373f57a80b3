import type { InterfaceDeclarationStructure, OptionalKind, PropertySignatureStructure, TypeAliasDeclarationStructure } from 'ts-morph';
import { StructureKind } from './ts-morph.js';
import { eventsOf, type Api, type ObjectType, type SourceLocation, type TypeNode } from '../model/ir.js';
import type { Position } from '../model/positions.js';
import { memberName, pascalCase, stringLiteral } from './escape.js';
import { jsDoc, typeFacts } from './jsdoc.js';
import type { NameTable } from './names.js';

export type TypeDeclaration = InterfaceDeclarationStructure | TypeAliasDeclarationStructure;

/** What an event union's variant for events the spec does not describe types its name as. */
export const UNKNOWN_EVENT_NAME = 'string';
/**
 * ...and its data. Values typed `never` so that checking the name keeps each known event's data
 * typed: after `e.type === 'X'` the item is X's variant or this one (TypeScript cannot say "any
 * string but the known names"), and `XData | Record<string, never>` reads as `XData`.
 */
export const UNKNOWN_EVENT_DATA = 'Record<string, never>';

/**
 * Turns IR type nodes into TypeScript type text for one output file. Object types nested in
 * properties, array items and union variants are hoisted into their own exported interfaces
 * (`ImbotV2BotRegisterParamsFields`), so users can name every structure they build. It records
 * which named types the file refers to, for its imports.
 *
 * Every call says the position of the type (`input`: params, `output`: results and event data):
 * a reference to an open enum reads `ChatType | (string & {})` in output positions (unknown values
 * compile, the known ones are still offered by completion) and plain `ChatType` in input ones.
 */
export class TypeWriter {
  /** Interfaces hoisted out of the types rendered so far, in first-use order. */
  readonly hoisted: TypeDeclaration[] = [];
  /** Named types (spec `types:`) referenced by the rendered text. */
  readonly refs = new Set<string>();
  /** Event data types (`<EVENT>Data`, exported by events.ts) referenced by the rendered text. */
  readonly eventRefs = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly names: NameTable,
  ) {}

  /** Type text for `node`; `owner` names hoisted structures (`Owner` + property name). */
  text(node: TypeNode, owner: string, at: SourceLocation, position: Position): string {
    const inner = this.inner(node, owner, at, position);
    return node.nullable ? `${inner} | null` : inner;
  }

  private inner(node: TypeNode, owner: string, at: SourceLocation, position: Position): string {
    switch (node.kind) {
      case 'primitive':
        return { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', any: 'unknown' }[node.name];
      case 'ref': {
        this.refs.add(node.name);
        const target = this.api.types.find((t) => t.name === node.name)?.type;
        if (position === 'output' && target?.kind === 'enum' && target.open) {
          // `& {}` keeps the known literals from being absorbed into `string`: completion offers them.
          return `${node.name} | (${target.base === 'integer' ? 'number' : 'string'} & {})`;
        }
        return node.name;
      }
      case 'array': {
        const item = this.text(node.items, `${owner}Item`, at, position);
        return /^[A-Za-z0-9_$.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'union':
        return node.variants.map((v, i) => this.text(v, `${owner}Variant${i + 1}`, at, position)).join(' | ');
      case 'object':
        // A bag of keys without named members reads better inline than as an empty interface.
        if (node.properties.length === 0) {
          const extra = node.additionalProperties;
          const value = extra === false ? 'never' : extra === true ? 'unknown' : this.text(extra, `${owner}Value`, at, position);
          return `Record<string, ${value}>`;
        }
        if (node.eventOf) {
          this.names.claim(owner, { at: node.eventOf.at, what: `the event union of an eventOf object (${owner})` });
          this.declareEventUnion(owner, node, position);
          return owner;
        }
        this.names.claim(owner, { at, what: `a nested object (${owner})` });
        this.declare(owner, node, at, position);
        return owner;
    }
  }

  /**
   * Declares `name` as an interface for an object type (named types and hoisted ones alike).
   * The caller has claimed `name` in the name table.
   */
  declare(name: string, node: ObjectType, at: SourceLocation, position: Position, docs?: ReturnType<typeof jsDoc>): void {
    const declaration: InterfaceDeclarationStructure = {
      kind: StructureKind.Interface,
      name,
      isExported: true,
      docs: docs ?? jsDoc([node.description]),
      properties: [],
    };
    // Reserve the slot first so parents precede children in the file.
    this.hoisted.push(declaration);
    declaration.properties = node.properties.map((p) => this.property(p.name, p.required, p.type, name, p.at, position));
    const extra = node.additionalProperties;
    if (extra !== false) {
      // An index signature must admit every declared property's type, hence `unknown` when mixed.
      const valueType = extra === true || node.properties.length > 0 ? 'unknown' : this.text(extra, `${name}Value`, at, position);
      declaration.indexSignatures = [{ keyName: 'key', keyType: 'string', returnType: valueType }];
    }
  }

  /**
   * An `eventOf` object: a generic interface `<Owner>Of<N, D>` holding the object's members with
   * the name property typed `N` and the data property `D`, and the union of its instances, one
   * per event of the namespaces (`<Owner>Of<'ONIMBOTV2MESSAGEADD', ONIMBOTV2MESSAGEADDData>`)
   * plus one for events the spec does not describe. A check of the name narrows the union.
   * The caller has claimed `owner` in the name table.
   */
  declareEventUnion(owner: string, node: ObjectType, position: Position): void {
    const union = node.eventOf!;
    const generic = `${owner}Of`;
    this.names.claim(generic, { at: union.at, what: `the item shape of an eventOf object (${generic})` });
    const declaration: InterfaceDeclarationStructure = {
      kind: StructureKind.Interface,
      name: generic,
      isExported: true,
      typeParameters: [{ name: 'N', constraint: 'string' }, { name: 'D' }],
      docs: jsDoc([node.description ?? `One event of ${union.namespaces.join(', ')}: \`${union.nameProperty}\` names it, \`${union.dataProperty}\` is its data.`]),
      properties: [],
    };
    this.hoisted.push(declaration);
    declaration.properties = node.properties.map((p) => {
      const typed = this.property(p.name, p.required, p.type, generic, p.at, position);
      if (p.name === union.nameProperty) return { ...typed, type: 'N' };
      if (p.name === union.dataProperty) return { ...typed, type: 'D' };
      return typed;
    });
    if (node.additionalProperties !== false) declaration.indexSignatures = [{ keyName: 'key', keyType: 'string', returnType: 'unknown' }];
    const variants = eventsOf(union, this.api).map((e) => {
      const data = `${e.name}Data`;
      this.eventRefs.add(data);
      return `${generic}<${stringLiteral(e.name)}, ${data}>`;
    });
    variants.push(`${generic}<${UNKNOWN_EVENT_NAME}, ${UNKNOWN_EVENT_DATA}>`);
    this.hoisted.push({
      kind: StructureKind.TypeAlias,
      name: owner,
      isExported: true,
      docs: jsDoc([
        `One of the events of ${union.namespaces.join(', ')}, told apart by \`${union.nameProperty}\`: after \`${union.nameProperty} === '<EVENT>'\` its \`${union.dataProperty}\` is that event's data type. ` +
          `The last variant stands for events the spec does not describe; read its \`${union.dataProperty}\` as \`Record<string, unknown>\`.`,
      ]),
      type: variants.map((v) => `\n  | ${v}`).join(''),
    });
  }

  private property(
    name: string,
    required: boolean,
    type: TypeNode,
    owner: string,
    at: SourceLocation,
    position: Position,
  ): OptionalKind<PropertySignatureStructure> {
    const { description, facts } = typeFacts(type, this.api);
    return {
      name: memberName(name),
      hasQuestionToken: !required,
      type: this.text(type, `${owner}${pascalCase(name) || 'Field'}`, at, position),
      docs: jsDoc([description, facts.join(' ')], type.deprecated ? [{ tagName: 'deprecated' }] : []),
    };
  }
}
