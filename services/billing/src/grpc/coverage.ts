// The member id a superbill prints, from the patient's primary insurance coverage in the
// insurance service, asked with the staff caller's own token (that service answers only about a
// patient of the caller's clinic). Without an insurance service (INSURANCE_GRPC_URL empty) or a
// primary coverage, there is none and staff type it, or the superbill goes without one.
import { type Metadata } from '@grpc/grpc-js';
import { InsuranceService } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { DependencyUnavailable } from '@portico/kit/domain';
import { callerMetadata, connectService } from '@portico/kit/grpc';
import type { Lifecycle } from '@portico/kit/lifecycle';

export type PrimaryMemberId = (patientId: string, caller: { metadata: Metadata }) => Promise<string>;

export function insurancePrimaryMemberId(address: string, lifecycle?: Lifecycle): PrimaryMemberId {
  if (!address) return async () => '';
  const insurance = connectService(InsuranceService, address);
  lifecycle?.onShutdown('insurance client', () => insurance.close());
  return async (patientId, { metadata }) => {
    try {
      const coverage = await insurance.getPrimaryCoverage({ patientId }, { metadata: callerMetadata(metadata) });
      return coverage.found ? coverage.memberId : '';
    } catch {
      // A superbill without the member id insurance holds would be wrong, not just shorter.
      throw new DependencyUnavailable('the patient’s insurance cannot be read now; try again, or type the member id');
    }
  };
}
