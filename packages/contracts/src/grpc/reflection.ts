// gRPC server reflection from protobuf-es descriptors: @grpc/reflection reads serialized
// FileDescriptorProtos from a package definition, so we hand it the ones protobuf-es embeds.
import { toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

function withDependencies(file: DescFile, seen = new Map<string, DescFile>()): Map<string, DescFile> {
  if (seen.has(file.name)) return seen;
  seen.set(file.name, file);
  for (const dependency of file.dependencies) withDependencies(dependency, seen);
  return seen;
}

/** A package definition in the shape @grpc/reflection's ReflectionService accepts. */
export function reflectionPackageDefinition(services: DescService[]): Record<string, { fileDescriptorProtos: Buffer[] }> {
  const definition: Record<string, { fileDescriptorProtos: Buffer[] }> = {};
  for (const service of services) {
    const files = [...withDependencies(service.file).values()];
    definition[service.typeName] = {
      fileDescriptorProtos: files.map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto))),
    };
  }
  return definition;
}
