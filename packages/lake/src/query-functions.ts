/**
 * Functions tenant SQL may not call. The tables a query reads are filtered to
 * the tenant by the engine; these functions read something else: tables
 * behind the filters' back, files, the network, or the engine's host and
 * configuration. The list goes by family, and the families that hold the
 * most (dictionaries, Join tables, settings, file systems) are refused by
 * prefix so that a member added by a later engine version is refused too.
 * Table functions (url(), file(), s3(), remote(), numbers(), merge(), …) are
 * refused whole elsewhere: a query may read only named lake tables.
 *
 * Allowed on purpose: currentDatabase(), version(), timezone(), queryID()
 * (what they return is not secret), sleep() and sleepEachRow() (bounded by
 * the query's time limit) and throwIf() (the rows it sees are the tenant's).
 */
interface Family {
  reason: string;
  names?: string[];
  prefixes?: string[];
}

const FAMILIES: Family[] = [
  {
    reason: 'dictionaries are read without the tenant filter',
    prefixes: ['dict'],
  },
  {
    reason: 'it reads a Join table without the tenant filter',
    prefixes: ['joinget'],
  },
  {
    reason: "it reads files of the engine's host",
    names: ['file', 'catboostevaluate', 'modelevaluate', 'evalmlmethod'],
  },
  {
    reason: 'it reaches out of the engine over the network',
    names: ['reversednsquery', 'dnsresolve'],
  },
  {
    reason: "it reports the engine's configuration",
    prefixes: ['getsetting', 'getserversetting', 'getmergetreesetting', 'getmacro', 'getserverport', 'getclienthttpheader', 'getoskernelversion'],
    names: ['hascolumnintable', 'tcpport', 'buildid', 'serveruuid', 'uptime', 'zookeepersessionuptime', 'shardnum', 'shardcount'],
  },
  {
    reason: "it reports the engine's host",
    prefixes: ['filesystem'],
    names: ['hostname', 'fqdn', 'fullhostname'],
  },
  {
    reason: "it reports the engine's users and roles",
    names: [
      'currentuser',
      'user',
      'current_user',
      'currentprofiles',
      'enabledprofiles',
      'defaultprofiles',
      'currentroles',
      'enabledroles',
      'defaultroles',
      'displayname',
      'initialqueryid',
      'initial_query_id',
      'initialquerystarttime',
      'initial_query_start_time',
    ],
  },
  {
    reason: "it reads the engine's own memory and code",
    prefixes: ['addressto', 'demangle', 'trace'],
  },
];

/** Why `name` may not be called, or undefined when it may. */
export function deniedFunction(name: string): string | undefined {
  const lower = name.toLowerCase();
  // The engine's internal helpers (__getScalar, __bitWrapperFunc, …) are not meant to be called by hand.
  if (lower.startsWith('__')) return 'it is internal to the engine';
  for (const family of FAMILIES) {
    if (family.names?.includes(lower)) return family.reason;
    if (family.prefixes?.some((p) => lower.startsWith(p))) return family.reason;
  }
  return undefined;
}

/**
 * Virtual columns of the lake's MergeTree tables. The parts they describe
 * hold every tenant's rows, so names, offsets and block numbers tell how much
 * other tenants wrote and when.
 */
export function deniedVirtualColumn(column: string): boolean {
  return /^_(part|partition|block|row_exists|disk_name|sample_factor)/.test(column);
}
