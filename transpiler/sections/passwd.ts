/** CLC `passwd` (ct's `config/types/passwd.go`): users, then groups, copied one to one. */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { bool, field, int, ptr, slice, str, struct, uint, type FieldDef, type GoStruct, type StructDef } from '../schema';
import { type GoInt, uintToInt } from '../go/int';
import { appendTo, copySlice } from './common';
import type { SectionDescriptor } from '../section';

/** The account options a user and its legacy `create` block share. */
interface AccountOptions {
  /** GECOS comment field. */
  readonly gecos?: string;
  /** Home directory. */
  readonly home_dir?: string;
  /** Do not create the home directory. */
  readonly no_create_home?: boolean;
  /** Primary group name. */
  readonly primary_group?: string;
  /** Supplementary groups. */
  readonly groups?: readonly string[];
  /** Do not create a group with the user's name. */
  readonly no_user_group?: boolean;
  /** Create a system account. */
  readonly system?: boolean;
  /** Do not add the user to lastlog/faillog. */
  readonly no_log_init?: boolean;
  /** Login shell. */
  readonly shell?: string;
}

/** Legacy `create` options of a user (deprecated by ct in favour of user-level fields). */
export interface UserCreateConfig extends AccountOptions {
  /** User ID (unsigned). */
  readonly uid?: number | bigint;
}

/** A user account to create or modify. */
export interface UserConfig extends AccountOptions {
  /** Login name. */
  readonly name: string;
  /** Password hash (crypt format); `''` is emitted too. */
  readonly password_hash?: string;
  /** Public SSH keys for `~/.ssh/authorized_keys`. */
  readonly ssh_authorized_keys?: readonly string[];
  /** User ID; 0 is emitted too. */
  readonly uid?: number | bigint;
  /** Deprecated: legacy creation options; cannot be combined with the user-level fields. */
  readonly create?: UserCreateConfig;
}

/** A group to create. */
export interface GroupConfig {
  /** Group name. */
  readonly name: string;
  /** Group ID (unsigned). */
  readonly gid?: number | bigint;
  /** Password hash for the group. */
  readonly password_hash?: string;
  /** Create a system group. */
  readonly system?: boolean;
}

/** The `passwd` section. */
export interface PasswdConfig {
  /** Users, in order. */
  readonly users?: readonly UserConfig[];
  /** Groups, in order. */
  readonly groups?: readonly GroupConfig[];
}

/** The shared account fields, after the uid in both structs; Go names two of them differently in each. */
function accountFields(gecosName: string, homeDirName: string): FieldDef[] {
  return [
    field(gecosName, 'gecos', str),
    field(homeDirName, 'home_dir', str),
    field('NoCreateHome', 'no_create_home', bool),
    field('PrimaryGroup', 'primary_group', str),
    field('Groups', 'groups', slice(str)),
    field('NoUserGroup', 'no_user_group', bool),
    field('System', 'system', bool),
    field('NoLogInit', 'no_log_init', bool),
    field('Shell', 'shell', str),
  ];
}

const userCreateDef: StructDef = {
  goName: 'types.UserCreate',
  fields: [field('Uid', 'uid', ptr(uint)), ...accountFields('GECOS', 'Homedir')],
};

const userDef: StructDef = {
  goName: 'types.User',
  fields: [
    field('Name', 'name', str),
    field('PasswordHash', 'password_hash', ptr(str)),
    field('SSHAuthorizedKeys', 'ssh_authorized_keys', slice(str)),
    field('Create', 'create', ptr(struct(userCreateDef))),
    field('UID', 'uid', ptr(int)),
    ...accountFields('Gecos', 'HomeDir'),
  ],
};

const groupDef: StructDef = {
  goName: 'types.Group',
  fields: [
    field('Name', 'name', str),
    field('Gid', 'gid', ptr(uint)),
    field('PasswordHash', 'password_hash', str),
    field('System', 'system', bool),
  ],
};

export const passwdDef: StructDef = {
  goName: 'types.Passwd',
  fields: [field('Users', 'users', slice(struct(userDef))), field('Groups', 'groups', slice(struct(groupDef)))],
};

/** The Ignition form of the shared account fields. */
function convertAccount(account: GoStruct): GoStruct {
  return {
    gecos: account.gecos,
    homeDir: account.home_dir,
    noCreateHome: account.no_create_home,
    primaryGroup: account.primary_group,
    groups: copySlice(account.groups),
    noUserGroup: account.no_user_group,
    system: account.system,
    noLogInit: account.no_log_init,
    shell: account.shell,
  };
}

/** ct's `convertUintPointerToIntPointer`: Go's `int(*u)`, so a uint past MaxInt64 wraps negative. */
function uintPtrToIntPtr(u: GoInt | undefined): GoInt | undefined {
  return u === undefined ? undefined : uintToInt(u);
}

function convertCreate(create: GoStruct | undefined): GoStruct | undefined {
  return create ? { uid: uintPtrToIntPtr(create.uid), ...convertAccount(create) } : undefined;
}

export const passwdTranslator: Translator = (config, _ast, out) => {
  const passwd = config.passwd as GoStruct;
  for (const user of passwd.users ?? []) {
    appendTo(out.passwd, 'users', {
      name: user.name,
      passwordHash: user.password_hash,
      sshAuthorizedKeys: copySlice(user.ssh_authorized_keys),
      uid: user.uid,
      ...convertAccount(user),
      create: convertCreate(user.create),
    });
  }
  for (const group of passwd.groups ?? []) {
    appendTo(out.passwd, 'groups', {
      name: group.name,
      gid: uintPtrToIntPtr(group.gid),
      passwordHash: group.password_hash,
      system: group.system,
    });
  }
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface PasswdSectionConfig {
  /** Users and groups. */
  readonly passwd?: PasswdConfig;
}

/** The top-level field (ct's `types.Config`). */
const passwdField = field('Passwd', 'passwd', struct(passwdDef));

/** The passwd section (ct's `config/types/passwd.go`). */
export const passwdSection: SectionDescriptor<PasswdSectionConfig> = {
  source: 'config/types/passwd.go',
  configField: { key: 'passwd', index: 5, def: () => passwdField },
  translate: passwdTranslator,
};
