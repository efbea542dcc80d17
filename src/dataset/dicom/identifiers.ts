// Whether the patient and study identifiers read from DICOM headers are written as salted pseudonyms (the default)
// or as they are. The choice is the dataset's own (`<state folder>/dicom-identifiers.json`), so the extension, its
// workers and the command-line tool write the same values; the extension's `xrayCurator.dicomIdentifiers` setting
// and `xray-curator scan --dicom-identifiers` set it. Names, birth dates and addresses are never written either way.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../atomicFile';
import { stateDirOf } from '../userCache';

export const IDENTIFIERS_FILE_NAME = 'dicom-identifiers.json';
export const IDENTIFIER_POLICIES = ['pseudonymised', 'raw'] as const;
export type IdentifierPolicy = (typeof IDENTIFIER_POLICIES)[number];

interface PolicyFile {
  version: 1;
  identifiers: 'raw';
  note: string;
}

/** The dataset's policy: `raw` only when its file says so exactly; anything else pseudonymises. */
export async function readIdentifierPolicy(root: string): Promise<IdentifierPolicy> {
  const text = await fs.readFile(policyFile(root), 'utf8').catch(() => null);
  if (text === null) return 'pseudonymised';
  try {
    const parsed = JSON.parse(text) as Partial<PolicyFile>;
    return parsed.version === 1 && parsed.identifiers === 'raw' ? 'raw' : 'pseudonymised';
  } catch {
    return 'pseudonymised';
  }
}

/** Sets the policy; true when it changed (DICOM headers are then read again on the next scan). */
export async function writeIdentifierPolicy(root: string, policy: IdentifierPolicy): Promise<boolean> {
  if ((await readIdentifierPolicy(root)) === policy) return false;
  if (policy === 'pseudonymised') {
    await fs.rm(policyFile(root), { force: true });
    return true;
  }
  const file: PolicyFile = {
    version: 1,
    identifiers: 'raw',
    note: 'DICOM PatientID and StudyInstanceUID are written as they are into this dataset\'s manifests, journals, reports and exports. Delete this file to write salted pseudonyms again.',
  };
  await writeAtomically(policyFile(root), `${JSON.stringify(file, null, 2)}\n`);
  return true;
}

/** Turns an identifier into what is written: its pseudonym, or itself. */
export type Identify = (value: string) => Promise<string>;

function policyFile(root: string): string {
  return path.join(stateDirOf(root), IDENTIFIERS_FILE_NAME);
}
