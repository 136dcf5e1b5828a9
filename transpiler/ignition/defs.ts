/**
 * The Ignition `Config` structs (`config/v2_2/types/schema.go`, `config/v2_3/types/schema.go`) as
 * schema.ts descriptors: JSON keys in Go field order (File/Directory/Link flatten `Node` first,
 * docs/ct.md §3), pointers and `omitempty` as in Go (docs/ct.md §3.1), with Ignition's validation hooks.
 */
import { bool, field, int, ptr, slice, str, struct, type FieldDef, type GoType, type StructDef } from '../schema';
import * as rules from './rules';
import type { IgnitionSpec } from './rules';
import { opt, verificationDef, type FieldMaker } from './defs-common';
import { configRule, versionRule } from './root';
import { buildStorage } from './storage-defs';


export function buildIgnitionConfigType(spec: IgnitionSpec): GoType {
  const v23 = spec === '2.3';
  /** 2.3 dropped `omitempty` from a few required fields (docs/ct.md §3.1). */
  const required = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, !v23);

  const reference = (goName: string): StructDef => ({
    goName,
    fields: [required('Source', 'source', str), opt('Verification', 'verification', struct(verificationDef))],
    fieldValidators: { Source: (c) => rules.referenceSourceRule(c.source as string, spec) },
  });
  const configReference = reference('types.ConfigReference');
  const caReference = reference('types.CaReference');

  const tls: StructDef = { goName: 'types.TLS', fields: [opt('CertificateAuthorities', 'certificateAuthorities', slice(struct(caReference)))] };
  // In 2.3, TLS is an anonymous field of Security: the validator flattens it, so CA errors land on the
  // `security` node (docs/ct.md §10.5).
  const security: StructDef = {
    goName: 'types.Security',
    fields: [{ ...opt('TLS', 'tls', struct(tls)), anonymous: v23 }],
  };

  const ignition: StructDef = {
    goName: 'types.Ignition',
    fields: [
      opt('Config', 'config', struct({
        goName: 'types.IgnitionConfig',
        fields: [opt('Append', 'append', slice(struct(configReference))), opt('Replace', 'replace', ptr(struct(configReference)))],
      })),
      opt('Security', 'security', struct(security)),
      opt('Timeouts', 'timeouts', struct({
        goName: 'types.Timeouts',
        fields: [opt('HTTPResponseHeaders', 'httpResponseHeaders', ptr(int)), opt('HTTPTotal', 'httpTotal', ptr(int))],
      })),
      opt('Version', 'version', str),
    ],
    validate: (i) => versionRule(i, spec),
  };

  const networkdDropin: StructDef = {
    goName: 'types.NetworkdDropin',
    fields: [opt('Contents', 'contents', str), required('Name', 'name', str)],
    validate: rules.networkdDropinRule,
  };
  const networkd: StructDef = {
    goName: 'types.Networkd',
    fields: [opt('Units', 'units', slice(struct({
      goName: 'types.Networkdunit',
      fields: [opt('Contents', 'contents', str), opt('Dropins', 'dropins', slice(struct(networkdDropin))), required('Name', 'name', str)],
      validate: rules.networkdUnitRule,
    })))],
  };

  const systemdDropin: StructDef = {
    goName: 'types.SystemdDropin',
    fields: [opt('Contents', 'contents', str), required('Name', 'name', str)],
    validate: rules.systemdDropinRule,
  };
  const systemd: StructDef = {
    goName: 'types.Systemd',
    fields: [opt('Units', 'units', slice(struct({
      goName: 'types.Unit',
      fields: [
        opt('Contents', 'contents', str),
        opt('Dropins', 'dropins', slice(struct(systemdDropin))),
        opt('Enable', 'enable', bool),
        opt('Enabled', 'enabled', ptr(bool)),
        opt('Mask', 'mask', bool),
        required('Name', 'name', str),
      ],
      fieldValidators: { Contents: rules.systemdUnitContentsRule, Name: rules.systemdUnitNameRule },
    })))],
  };

  const passwd = buildPasswd(required);
  const storage = buildStorage(spec, required);

  return struct({
    goName: 'types.Config',
    fields: [
      field('Ignition', 'ignition', struct(ignition)),
      opt('Networkd', 'networkd', struct(networkd)),
      opt('Passwd', 'passwd', struct(passwd)),
      opt('Storage', 'storage', struct(storage)),
      opt('Systemd', 'systemd', struct(systemd)),
    ],
    validate: configRule,
  });
}

function buildPasswd(required: FieldMaker): StructDef {
  const usercreate: StructDef = {
    goName: 'types.Usercreate',
    fields: [
      opt('Gecos', 'gecos', str),
      opt('Groups', 'groups', slice(str)),
      opt('HomeDir', 'homeDir', str),
      opt('NoCreateHome', 'noCreateHome', bool),
      opt('NoLogInit', 'noLogInit', bool),
      opt('NoUserGroup', 'noUserGroup', bool),
      opt('PrimaryGroup', 'primaryGroup', str),
      opt('Shell', 'shell', str),
      opt('System', 'system', bool),
      opt('UID', 'uid', ptr(int)),
    ],
  };
  const user: StructDef = {
    goName: 'types.PasswdUser',
    fields: [
      opt('Create', 'create', ptr(struct(usercreate))),
      opt('Gecos', 'gecos', str),
      opt('Groups', 'groups', slice(str)),
      opt('HomeDir', 'homeDir', str),
      required('Name', 'name', str),
      opt('NoCreateHome', 'noCreateHome', bool),
      opt('NoLogInit', 'noLogInit', bool),
      opt('NoUserGroup', 'noUserGroup', bool),
      opt('PasswordHash', 'passwordHash', ptr(str)),
      opt('PrimaryGroup', 'primaryGroup', str),
      opt('SSHAuthorizedKeys', 'sshAuthorizedKeys', slice(str)),
      opt('Shell', 'shell', str),
      opt('System', 'system', bool),
      opt('UID', 'uid', ptr(int)),
    ],
    validate: rules.passwdUserRule,
  };
  const group: StructDef = {
    goName: 'types.PasswdGroup',
    fields: [opt('Gid', 'gid', ptr(int)), required('Name', 'name', str), opt('PasswordHash', 'passwordHash', str), opt('System', 'system', bool)],
  };
  return {
    goName: 'types.Passwd',
    fields: [opt('Groups', 'groups', slice(struct(group))), opt('Users', 'users', slice(struct(user)))],
  };
}
