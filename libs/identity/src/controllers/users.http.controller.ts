import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Public, Roles } from '#lib/guards';
import { ApiProblemResponses } from '#lib/http-problems';
import { ChangeUserRolesService } from '../services/change-user-roles.service.js';
import { DeleteUserService } from '../services/delete-user.service.js';
import { GetUserService } from '../services/get-user.service.js';
import { ListUsersService } from '../services/list-users.service.js';
import { RegisterUserService } from '../services/register-user.service.js';
import { ChangeUserRolesRequestDto } from './dto/change-user-roles.request.dto.js';
import { ListUsersQueryDto } from './dto/list-users.query.dto.js';
import { RegisterUserRequestDto } from './dto/register-user.request.dto.js';
import { UserPageResponseDto } from './dto/user-page.response.dto.js';
import { UserResponseDto } from './dto/user.response.dto.js';

@ApiTags('users')
@Controller({ path: 'users', version: '1' })
export class UsersHttpController {
  constructor(
    private readonly registerUser: RegisterUserService,
    private readonly getUser: GetUserService,
    private readonly listUsers: ListUsersService,
    private readonly changeUserRoles: ChangeUserRolesService,
    private readonly deleteUser: DeleteUserService,
  ) {}

  @Post()
  @Public()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'registerUser',
    summary: 'Register a customer account',
    description: 'The email is trimmed and lower-cased. Log in afterwards at POST /v1/auth/token.',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiProblemResponses({
    400: 'Invalid body (VALIDATION_FAILED), email (IDENTITY.INVALID_EMAIL) or password (IDENTITY.WEAK_PASSWORD, with `violations`)',
    409: 'IDENTITY.EMAIL_TAKEN: an account with this email exists',
  })
  async register(@Body() body: RegisterUserRequestDto): Promise<UserResponseDto> {
    const user = await this.registerUser.register({ email: body.email, password: body.password });
    return UserResponseDto.from(user);
  }

  @Get('me')
  @ApiOperation({ operationId: 'getCurrentUser', summary: 'The authenticated user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblemResponses({ 404: 'IDENTITY.USER_NOT_FOUND: the account no longer exists' })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.getUser.byId(caller.id));
  }

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteCurrentUser',
    summary: 'Delete the authenticated account',
    description:
      'Removes the account and its refresh tokens, and revokes its access tokens in every service ' +
      'at once. Orders and payments keep referring to the user id, which no longer names anyone. ' +
      'A 503 (Redis unreachable, the revocation not recorded) means nothing was deleted: retry. ' +
      'The last administrator cannot delete their account: make another user an admin first.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses({
    404: 'IDENTITY.USER_NOT_FOUND: the account no longer exists',
    409: 'IDENTITY.LAST_ADMIN: the account is the last administrator; nothing was deleted',
  })
  async deleteMe(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    await this.deleteUser.delete(caller.id);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteUser',
    summary: 'Delete an account (admin)',
    description:
      'As DELETE /v1/users/me, for any account. Of two admins deleting each other at once, one ' +
      'succeeds and the other is refused: the shop always keeps an administrator.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses({
    400: 'Invalid id (VALIDATION_FAILED)',
    404: 'IDENTITY.USER_NOT_FOUND',
    409: 'IDENTITY.LAST_ADMIN: the account is the last administrator; nothing was deleted',
  })
  async delete(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.deleteUser.delete(id);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List users (admin)',
    description: 'Oldest first, ordered by creation time then id. Follow `nextCursor` for more.',
  })
  @ApiOkResponse({ type: UserPageResponseDto })
  @ApiProblemResponses({
    400: 'Invalid limit (VALIDATION_FAILED) or cursor (IDENTITY.INVALID_CURSOR)',
  })
  async list(@Query() query: ListUsersQueryDto): Promise<UserPageResponseDto> {
    return UserPageResponseDto.from(
      await this.listUsers.page({ limit: query.limit, cursor: query.cursor }),
    );
  }

  @Patch(':id/roles')
  @Roles('admin')
  @ApiOperation({
    operationId: 'changeUserRoles',
    summary: "Replace a user's roles (admin)",
    description:
      "Takes effect in the user's next access token (after their next refresh). The last " +
      'administrator keeps the admin role: of two admins demoting each other at once, one ' +
      'succeeds and the other is refused, so the shop always keeps an administrator.',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblemResponses({
    400: 'Invalid id or roles (VALIDATION_FAILED, IDENTITY.ROLES_REQUIRED)',
    404: 'IDENTITY.USER_NOT_FOUND',
    409: 'IDENTITY.LAST_ADMIN: the user is the last administrator; their roles are unchanged',
    422: 'IDENTITY.CANNOT_REMOVE_OWN_ADMIN_ROLE: an admin cannot drop their own admin role',
  })
  async changeRoles(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChangeUserRolesRequestDto,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<UserResponseDto> {
    const user = await this.changeUserRoles.change({
      userId: id,
      roles: body.roles,
      changedBy: caller,
    });
    return UserResponseDto.from(user);
  }
}
