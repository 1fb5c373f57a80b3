import type { InterfaceDeclarationStructure, OptionalKind, PropertySignatureStructure, TypeAliasDeclarationStructure } from 'ts-morph';
import { StructureKind } from './ts-morph.js';
import type { Api, ObjectType, SourceLocation, TypeNode } from '../model/ir.js';
import { memberName, pascalCase } from './escape.js';
import { jsDoc, typeFacts } from './jsdoc.js';
import type { NameTable } from './names.js';

export type TypeDeclaration = InterfaceDeclarationStructure | TypeAliasDeclarationStructure;

/**
 * Turns IR type nodes into TypeScript type text for one output file. Object types nested in
 * properties, array items and union variants are hoisted into their own exported interfaces
 * (`ImbotV2BotRegisterParamsFields`), so users can name every structure they build. It records
 * which named types the file refers to, for its imports.
 */
export class TypeWriter {
  /** Interfaces hoisted out of the types rendered so far, in first-use order. */
  readonly hoisted: TypeDeclaration[] = [];
  /** Named types (spec `types:`) referenced by the rendered text. */
  readonly refs = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly names: NameTable,
  ) {}

  /** Type text for `node`; `owner` names hoisted structures (`Owner` + property name). */
  text(node: TypeNode, owner: string, at: SourceLocation): string {
    const inner = this.inner(node, owner, at);
    return node.nullable ? `${inner} | null` : inner;
  }

  private inner(node: TypeNode, owner: string, at: SourceLocation): string {
    switch (node.kind) {
      case 'primitive':
        return { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', any: 'unknown' }[node.name];
      case 'ref':
        this.refs.add(node.name);
        return node.name;
      case 'array': {
        const item = this.text(node.items, `${owner}Item`, at);
        return /^[A-Za-z0-9_$.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'union':
        return node.variants.map((v, i) => this.text(v, `${owner}Variant${i + 1}`, at)).join(' | ');
      case 'object':
        // A bag of keys without named members reads better inline than as an empty interface.
        if (node.properties.length === 0) {
          const extra = node.additionalProperties;
          const value = extra === false ? 'never' : extra === true ? 'unknown' : this.text(extra, `${owner}Value`, at);
          return `Record<string, ${value}>`;
        }
        this.names.claim(owner, { at, what: `a nested object (${owner})` });
        this.declare(owner, node, at);
        return owner;
    }
  }

  /**
   * Declares `name` as an interface for an object type (named types and hoisted ones alike).
   * The caller has claimed `name` in the name table.
   */
  declare(name: string, node: ObjectType, at: SourceLocation, docs?: ReturnType<typeof jsDoc>): void {
    const declaration: InterfaceDeclarationStructure = {
      kind: StructureKind.Interface,
      name,
      isExported: true,
      docs: docs ?? jsDoc([node.description]),
      properties: [],
    };
    // Reserve the slot first so parents precede children in the file.
    this.hoisted.push(declaration);
    declaration.properties = node.properties.map((p) => this.property(p.name, p.required, p.type, name, p.at));
    const extra = node.additionalProperties;
    if (extra !== false) {
      // An index signature must admit every declared property's type, hence `unknown` when mixed.
      const valueType = extra === true || node.properties.length > 0 ? 'unknown' : this.text(extra, `${name}Value`, at);
      declaration.indexSignatures = [{ keyName: 'key', keyType: 'string', returnType: valueType }];
    }
  }

  private property(
    name: string,
    required: boolean,
    type: TypeNode,
    owner: string,
    at: SourceLocation,
  ): OptionalKind<PropertySignatureStructure> {
    const { description, facts } = typeFacts(type, this.api);
    return {
      name: memberName(name),
      hasQuestionToken: !required,
      type: this.text(type, `${owner}${pascalCase(name) || 'Field'}`, at),
      docs: jsDoc([description, facts.join(' ')], type.deprecated ? [{ tagName: 'deprecated' }] : []),
    };
  }
}
