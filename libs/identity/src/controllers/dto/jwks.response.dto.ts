import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ example: 'RSA' })
  kty!: string;

  @ApiProperty({ description: 'RSA modulus, base64url' })
  n?: string;

  @ApiProperty({ example: 'AQAB' })
  e?: string;

  @ApiProperty({ example: 'RS256' })
  alg!: string;

  @ApiProperty({ example: 'sig' })
  use!: 'sig';

  @ApiProperty({ description: 'RFC 7638 thumbprint; matches the `kid` header of access tokens' })
  kid!: string;
}

/** RFC 7517 JSON Web Key Set. */
export class JwksResponseDto {
  @ApiProperty({ type: [JwkDto] })
  keys!: JwkDto[];
}
